"""The shipped examples, and the declaration file printed in DESIGN.md §4.5."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from itdeclare.models import Declaration, Relationship, validate_declaration
from tests.models.helpers import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


def test_both_examples_are_shipped() -> None:
    assert {path.name for path in EXAMPLE_FILES} == {"self.json", "parent.json", "warnings.json"}


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_examples_validate(path: Path) -> None:
    report = validate_declaration(json.loads(path.read_text("utf-8")))
    assert report.problems == []
    assert report.valid


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_examples_round_trip_exactly(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    dumped = Declaration.model_validate(data).model_dump(mode="json")
    assert dumped == data
    assert list(dumped) == list(data)  # and in the file's order


def test_parent_example_is_filed_for_a_parent_via_a_third_country() -> None:
    data = json.loads((EXAMPLES / "parent.json").read_text("utf-8"))
    declaration = Declaration.model_validate(data)
    assert declaration.relationship is Relationship.PARENT
    assert len(declaration.itinerary) > 1
    transit = declaration.entry_leg.from_
    assert transit not in {leg.from_ for leg in declaration.itinerary[:-1]}
    assert {test.country for test in declaration.tests} == {"DEU"}  # Frankfurt, the transit
    assert declaration.residence.country == "ESP"


def design_example(shared_dir: Path) -> str:
    design = (shared_dir / "DESIGN.md").read_text("utf-8")
    section = design[design.index("### 4.5") :]
    match = re.search(r"```json\n(.*?)```", section, re.DOTALL)
    assert match, "DESIGN.md §4.5 holds no JSON example"
    return match.group(1)


@pytest.mark.shared
def test_design_example_validates_and_is_examples_self(shared_dir: Path) -> None:
    text = design_example(shared_dir)
    data = json.loads(text)
    assert validate_declaration(data).problems == []
    assert text == (EXAMPLES / "self.json").read_text("utf-8")  # verbatim


@pytest.mark.shared
def test_design_example_round_trips(shared_dir: Path) -> None:
    data = json.loads(design_example(shared_dir))
    declaration = Declaration.model_validate(data)
    assert declaration.model_dump(mode="json") == data
    assert json.loads(declaration.model_dump_json()) == data
