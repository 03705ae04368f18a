"""The declaration's shape (``itdeclare.models.shape``), and the consumers that must follow it:
the wizard's steps and the facts the cross-field checks read. (The certified record, its claim
and report: ``tests/certificate/test_shape_coverage.py``; the reviewer's layout:
``tests/review/test_layout_logic.py``.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itdeclare.journey.form import STEPS
from itdeclare.models import Declaration, FlightLeg, validate_declaration
from itdeclare.models.diff import _leaves
from itdeclare.models.partial import from_data, from_declaration
from itdeclare.models.shape import generalised, locations
from tests.shape import marked, read_by

MAXIMAL = Path(__file__).parents[1] / "certificate" / "maximal_returnee.json"
#: A valid resident ID for the maximal example's holder (born 1988-07-15, female).
ID_CARD = "110101198807150020"


def every_field_filled() -> Declaration:
    data = json.loads(MAXIMAL.read_text("utf-8"))
    data["subject"]["id_card_number"] = ID_CARD
    report = validate_declaration(data)
    assert report.declaration is not None, report.problems
    return report.declaration


def test_the_locations_are_the_models_fields() -> None:
    declaration = every_field_filled()
    dumped = declaration.model_dump(mode="json", by_alias=True)
    filled = {generalised(loc) for loc, _ in _leaves(dumped)}
    assert filled == set(locations())
    assert "itinerary.*.from" in locations()  # a field's alias, as the file spells it
    assert locations(FlightLeg) == ("flight", "from", "to", "departs_at", "arrives_at")


def test_a_marker_replaces_exactly_one_field() -> None:
    declaration = every_field_filled()
    changed, marker = marked(declaration, "tests.*.institution")
    assert changed.tests[0].institution == marker  # type: ignore[attr-defined]
    assert changed.tests[1] == declaration.tests[1]
    assert declaration.tests[0].institution == "Seoul Clinical Laboratories"


#: Fields of the document the wizard does not ask for, and why.
NOT_ASKED = {
    "schema_version": "written by the app",
    "relationship": "the person's, chosen when they are added on the home screen",
}


def test_the_wizard_asks_for_every_field() -> None:
    asked = {spec.path for step in STEPS for spec in step.fields}
    asked |= {
        f"{step.items.path}.*.{spec.path}"
        for step in STEPS
        if step.items is not None
        for spec in step.items.fields
    }
    assert asked == set(locations()) - set(NOT_ASKED)


#: What the cross-field checks (consistency and rules) have no use for.
NOT_CHECKED_ACROSS_FIELDS = {
    "schema_version",
    "relationship",
    "subject.sex",
    "contact.phone",
    "contact.email",
    "residence.city",
    "residence.address",
    "status",
    "employer",
    "tests.*.institution",
    "vaccinations.*.product",
    "vaccinations.*.dose",
    "vaccinations.*.of",
    "vaccinations.*.country",
    "attested",
}


def test_the_partial_facts_cover_every_field_or_say_why_not() -> None:
    """A field added to the models must be read into the facts, or named above."""
    read = read_by(from_declaration, every_field_filled())
    assert read & NOT_CHECKED_ACROSS_FIELDS == set()
    assert read | NOT_CHECKED_ACROSS_FIELDS == set(locations())


@pytest.mark.parametrize("example", ["maximal", "self"])
def test_the_facts_of_a_valid_and_of_a_read_declaration_agree(example: str) -> None:
    """``from_data`` (for a declaration that failed validation) reads what ``from_declaration``
    reads."""
    if example == "maximal":
        declaration = every_field_filled()
    else:
        path = Path(__file__).parents[2] / "examples" / "self.json"
        declaration = Declaration.model_validate_json(path.read_text("utf-8"))
    data = declaration.model_dump(mode="json", by_alias=True)
    assert from_data(data) == from_declaration(declaration)
