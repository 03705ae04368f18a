"""Every code the models produce has a message in both languages; every enum value, names."""

from __future__ import annotations

import re
import string
import tomllib
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from itdeclare import i18n
from itdeclare.models import Problem, enums
from itdeclare.models.problems import from_validation_error

MODELS = Path(__file__).parents[2] / "itdeclare" / "models"

#: Every way the models name an error code in their source.
CODE_LITERALS = [
    re.compile(r'PydanticCustomError\(\s*"(\w+)"'),
    re.compile(r'_error\(\s*"(\w+)"'),
    re.compile(r'Problem\(\s*f?"[^"]*",\s*"(\w+)"'),
    re.compile(r'self\.code = "(\w+)"'),
]


def codes_in_source() -> set[str]:
    codes = set()
    for path in MODELS.glob("*.py"):
        text = path.read_text("utf-8")
        for pattern in CODE_LITERALS:
            codes.update(pattern.findall(text))
    return codes


def catalogue(area: str) -> dict[str, Any]:
    text = resources.files("itdeclare.i18n").joinpath("catalog", f"{area}.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_the_source_walk_finds_codes() -> None:
    codes = codes_in_source()
    for known in ("id_card_checksum", "test_too_early", "residence_in_china", "invalid_transition"):
        assert known in codes
    assert len(codes) > 50


@pytest.mark.parametrize("code", sorted(codes_in_source()))
def test_every_code_has_english_and_chinese(code: str) -> None:
    entry = catalogue("errors").get(code)
    assert isinstance(entry, dict), f"errors.toml has no [{code}]"
    assert entry.get("en") and entry.get("zh"), code


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(catalogue("errors")))
def test_both_languages_use_the_same_parameters(code: str) -> None:
    entry = catalogue("errors")[code]
    assert placeholders(entry["en"]) == placeholders(entry["zh"]), code


@pytest.mark.parametrize("area", ["errors", "enum", "cli"])
def test_chinese_uses_fullwidth_punctuation(area: str) -> None:
    def texts(node: dict[str, Any]) -> list[str]:
        if "zh" in node and isinstance(node["zh"], str):
            return [node["zh"]]
        return [text for child in node.values() if isinstance(child, dict) for text in texts(child)]

    for text in texts(catalogue(area)):
        # Codes, examples and placeholders are not prose: "PVG", "+86 138 0013 8000", "{value}".
        prose = re.sub(r"\{[^}]*\}|[0-9A-Za-z@./+\-:]*[0-9A-Za-z][0-9A-Za-z@./+\-:]*", "", text)
        assert not re.search(r"[,;:!?()]", prose), text


ENUMS = [
    member
    for member in vars(enums).values()
    if isinstance(member, type) and issubclass(member, StrEnum) and member is not StrEnum
]


def test_every_enum_is_covered() -> None:
    assert {e.__name__ for e in ENUMS} == {
        "Relationship",
        "Sex",
        "DocumentType",
        "TravellerStatus",
        "LabTestKind",
        "LabResult",
        "HistoryKind",
        "DeclarationStatus",
    }


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_enum_value_has_names(enum: type[StrEnum]) -> None:
    names = catalogue("enum")[enum.__name__]
    assert set(names) == {member.value for member in enum}
    for member in enum:
        assert names[member.value]["en"] and names[member.value]["zh"]
        assert i18n.format_value(member, "zh") == names[member.value]["zh"]


def test_a_rule_problem_renders_in_both_languages(declaration: dict[str, Any]) -> None:
    from tests.models.helpers import problems

    declaration["tests"][0]["sampled_at"] = "2026-11-28T09:00:00-08:00"
    (problem,) = problems(declaration)
    assert i18n.problem_message(problem, "en") == (
        "The nucleic-acid test was sampled on 28 Nov 2026, too early for flight UA857 departing "
        "on 1 Dec 2026: sample on or after 29 Nov 2026"
    )
    assert i18n.problem_message(problem, "zh") == (
        "核酸检测采样日期为2026年11月28日，早于规定：航班 UA857 的起飞日期为2026年12月1日，"
        "须在2026年11月29日或之后采样"
    )


def test_pydantic_codes_render_with_their_context() -> None:
    from pydantic import ValidationError

    from itdeclare.models import Declaration

    with pytest.raises(ValidationError) as raised:
        Declaration.model_validate({"relationship": "friend", "itinerary": [], "x": 1})
    for problem in from_validation_error(raised.value):
        for language in i18n.LANGUAGES:
            key = f"errors.{problem.code}"
            assert i18n.has_text(key), problem.code
            i18n.t(key, language, **problem.params)


def test_unknown_code_falls_back_to_its_english_text() -> None:
    problem = Problem("x", "no_such_code", {}, "Something specific")
    assert i18n.problem_message(problem, "zh") == "Something specific"
    assert i18n.problem_message(Problem("x", "no_such_code"), "zh") == "该值无效"
