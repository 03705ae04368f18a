"""``itdeclare validate`` reports the size limits as field errors, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itdeclare.cli import main
from itdeclare.models import limits

SELF = Path(__file__).parents[1] / "examples" / "self.json"


def _over_the_limits(tmp_path: Path) -> Path:
    data = json.loads(SELF.read_text("utf-8"))
    data["tests"][0]["institution"] = "首尔临床检验中心" * 2  # 16 characters, width 32
    data["subject"]["chinese_name"] = "张" * (limits.CHINESE_NAME + 1)
    data["vaccinations"] = data["vaccinations"] * (limits.VACCINATIONS + 1)
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize(
    ("lang", "institution_message"),
    [
        ("en", "At most 28 characters (a Chinese character counts as two)"),
        ("zh", "最多 28 个字符（一个汉字按两个计）"),
    ],
)
def test_limits_are_field_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str, institution_message: str
) -> None:
    code = main(["--lang", lang, "validate", "--json", str(_over_the_limits(tmp_path))])
    result = json.loads(capsys.readouterr().out)
    assert code == 1 and result["valid"] is False
    errors = {error["loc"]: (error["code"], error["message"]) for error in result["errors"]}
    assert errors["tests.0.institution"] == ("text_too_wide", institution_message)
    assert errors["subject.chinese_name"][0] == "name_too_long"
    assert errors["vaccinations"][0] == "too_long"
