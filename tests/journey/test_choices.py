"""Finding a list's entry by any name it is known by."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itdeclare.i18n import Language
from itdeclare.journey.choices import Choice, SearchKey, best_match, toneless
from itdeclare.models import reference
from itdeclare.widgets.form.choices import _country_options

VACCINES = [
    Choice("Covishield（印度血清研究所）", "Covishield", ("Covishield (Serum Institute)",)),
    Choice("复必泰（BioNTech/辉瑞）", "EU/1/20/1528", ("Comirnaty (BioNTech/Pfizer)",)),
    Choice("卫星V（加马列亚研究所）", "Sputnik-V", ("Sputnik V (Gamaleya)", "Sputnik-V")),
]
KEYS = [None, *(SearchKey.of(choice) for choice in VACCINES)]  # a blank line first


def test_the_other_languages_name_and_the_code_find_an_entry() -> None:
    assert best_match("Comirnaty", KEYS) == 2
    assert best_match("辉瑞", KEYS) == 2
    assert best_match("sputnik v", KEYS) == 3
    assert best_match("sputnik-v", KEYS) == 3


def test_a_start_beats_a_word_which_beats_the_inside() -> None:
    keys = [SearchKey.of(Choice(label, label)) for label in ("Bermuda", "East Germany", "Germany")]
    assert best_match("germ", keys) == 2
    assert best_match("erm", keys) == 0
    assert best_match("east", keys) == 1


def test_nothing_is_found_for_what_matches_nothing() -> None:
    assert best_match("cozzz", KEYS) is None
    assert best_match("", KEYS) is None


def test_pinyin_is_typed_without_tones() -> None:
    assert toneless("de2 guo2") == "deguo"


def test_a_name_typed_whole_beats_a_longer_name_it_begins() -> None:
    choices = [
        Choice(
            "UMI  United States Minor Outlying Islands",
            "UMI",
            ("United States Minor Outlying Islands", "美国本土外小岛屿"),
        ),
        Choice("USA  United States", "USA", ("United States", "美国", "meiguo")),
    ]
    keys = [SearchKey.of(choice) for choice in choices]
    assert best_match("united states", keys) == 1
    assert best_match("united", keys) == 0  # the first of those it begins, while still typing


# --- countries: one search for both languages ---------------------------------------------


def country_search(query: str, lang: Language) -> str | None:
    """The code of the country a select in ``lang`` highlights for ``query``."""
    options = _country_options(lang)
    found = best_match(query, [SearchKey.of(choice) for choice in options])
    return options[found].value if found is not None else None


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("meiguo", "USA"),
        ("美国", "USA"),
        ("United States", "USA"),
        ("usa", "USA"),
        ("deguo", "DEU"),
        ("德国", "DEU"),
        ("germany", "DEU"),
        ("zhongguo", "CHN"),
        ("china", "CHN"),
    ],
)
def test_a_country_is_found_by_either_name_its_pinyin_or_its_code(
    lang: Language, query: str, expected: str
) -> None:
    assert country_search(query, lang) == expected


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_exact_code_comes_before_names_it_begins(lang: Language) -> None:
    assert country_search("ind", lang) == "IND"  # not Indonesia
    assert country_search("aus", lang) == "AUS"  # not Austria
    assert country_search("can", lang) == "CAN"


def test_the_interface_languages_name_beats_the_other_names() -> None:
    # Bahamas, not Brazil (巴西, baxi) nor Pakistan (巴基斯坦, bajisitan), both earlier in pinyin.
    assert country_search("ba", "en") == "BHS"
    # 德国 (deguo) in Chinese, where the word Denmark also begins with "de": the pinyin is
    # another name, as Denmark's English one is; the list's order (pinyin) decides.
    assert country_search("deg", "zh") == "DEU"


@settings(max_examples=300, deadline=None)
@given(
    country=st.sampled_from(sorted(reference.countries())),
    which=st.sampled_from(["en", "zh", "alpha3", "pinyin"]),
    lang=st.sampled_from(["en", "zh"]),
    upper=st.booleans(),
)
def test_every_name_of_every_country_finds_it_in_either_language(
    country: str, which: str, lang: Language, upper: bool
) -> None:
    entry = reference.countries()[country]
    name = toneless(entry.pinyin) if which == "pinyin" else getattr(entry, which)
    assert country_search(name.upper() if upper else name, lang) == country
