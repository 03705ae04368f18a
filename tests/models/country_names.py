"""Build ``itdeclare/models/data/country_names.json``: the names China's own forms use where
they differ from pycountry's translation, and each Chinese name's pinyin, which orders the
Chinese country list as a Chinese reader expects (by pinyin, not by the English name).

The pinyin is worked out here, with pypinyin (a development dependency), and stored in the
data, so the app sorts without loading pypinyin's dictionaries; ``test_country_names`` checks
the stored keys against pypinyin. After changing a name, rebuild with
``uv run python -m tests.models.country_names``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parents[2] / "itdeclare" / "models" / "data" / "country_names.json"

#: Where the ISO names differ from those on China's forms. Hong Kong, Macao and Taiwan are
#: parts of China (中国香港 / 中国澳门 / 中国台湾, "Hong Kong, China" etc., as Chinese
#: government forms and China's entry cards write them); other countries by their short name,
#: as the Ministry of Foreign Affairs lists them.
NAMES: dict[str, dict[str, str]] = {
    "HKG": {"zh": "中国香港", "en": "Hong Kong, China"},
    "MAC": {"zh": "中国澳门", "en": "Macao, China"},
    "TWN": {"zh": "中国台湾", "en": "Taiwan, China"},
    "KOR": {"zh": "韩国"},
    "PRK": {"zh": "朝鲜"},
    "BOL": {"zh": "玻利维亚"},
    "IRN": {"zh": "伊朗"},
    "KHM": {"zh": "柬埔寨"},
    "LAO": {"zh": "老挝"},
    "MDA": {"zh": "摩尔多瓦"},
    "SYR": {"zh": "叙利亚"},
    "VEN": {"zh": "委内瑞拉"},
}

#: Readings of place names that pypinyin's general dictionary gets wrong.
_PHRASES = {"佛得角": [["fó"], ["dé"], ["jiǎo"]]}
_CHARACTERS = {ord("塞"): "sài"}  # 塞浦路斯, 塞内加尔, 阿塞拜疆, …


def pinyin_key(name: str) -> str:
    """``de2 guo2`` for 德国: letters first, then tone, syllable by syllable."""
    from pypinyin import Style, lazy_pinyin, load_phrases_dict, load_single_dict

    load_phrases_dict(_PHRASES)
    load_single_dict(_CHARACTERS)
    syllables = lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(syllable.strip() for syllable in syllables if syllable.strip())


def build() -> dict[str, Any]:
    from itdeclare.models import reference

    reference.countries.cache_clear()
    chinese = {code: country.zh for code, country in reference.countries_from_iso().items()}
    for code, names in NAMES.items():
        chinese[code] = names.get("zh", chinese[code])
    return {
        "names": NAMES,
        "pinyin": {code: pinyin_key(name) for code, name in sorted(chinese.items())},
    }


def main() -> None:
    DATA.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
