"""``validate_declaration``: every problem at once, at the field the user must change."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itdeclare.models import Declaration, validate_declaration
from itdeclare.models.partial import from_data, from_declaration
from tests.models.helpers import example, found, problems


def four_mistakes(data: dict[str, Any], airport_field: str = "from") -> dict[str, Any]:
    """The issue's bad file: a wrong ID check character, a phone with letters, a nucleic-acid test
    three calendar days before the departure date, and an unknown airport."""
    data["subject"]["id_card_number"] = "110105195603010013"
    data["contact"]["phone"] = "+1 415 555 CALL"
    data["tests"][0]["sampled_at"] = "2026-11-28T09:00:00-08:00"
    data["itinerary"][0][airport_field] = "XQX"
    return data


def test_four_mistakes_four_fields(declaration: dict[str, Any]) -> None:
    assert found(four_mistakes(declaration)) == {
        ("subject.id_card_number", "id_card_checksum"),
        ("contact.phone", "phone_letters"),
        ("tests.0.sampled_at", "test_too_early"),
        ("itinerary.0.from", "airport_unknown"),
    }


def test_unknown_airport_of_arrival(declaration: dict[str, Any]) -> None:
    """The window still counts from the departure; the port check waits for a known airport."""
    assert found(four_mistakes(declaration, "to")) == {
        ("subject.id_card_number", "id_card_checksum"),
        ("contact.phone", "phone_letters"),
        ("tests.0.sampled_at", "test_too_early"),
        ("itinerary.0.to", "airport_unknown"),
    }


def test_unknown_departure_airport_counts_in_the_offset_written(
    declaration: dict[str, Any],
) -> None:
    declaration["itinerary"][0]["from"] = "XQX"
    declaration["tests"][0]["sampled_at"] = "2026-11-29T00:30:00-08:00"
    assert found(declaration) == {("itinerary.0.from", "airport_unknown")}
    declaration["tests"][0]["sampled_at"] = "2026-11-28T23:30:00-08:00"
    assert ("tests.0.sampled_at", "test_too_early") in found(declaration)


def test_problems_come_field_errors_first(declaration: dict[str, Any]) -> None:
    codes = [p.code for p in problems(four_mistakes(declaration))]
    assert codes[-1] == "test_too_early"


def test_a_field_with_an_error_gets_no_second_problem(declaration: dict[str, Any]) -> None:
    """The ID number disagrees with the birth date and is held by a US national: only the first
    is reported at the ID field; the nationality problem is reported at the nationality."""
    declaration["subject"]["date_of_birth"] = "1956-03-02"
    declaration["subject"]["nationality"] = "USA"
    assert found(declaration) == {
        ("subject.id_card_number", "id_card_birth_mismatch"),
        ("subject.nationality", "nationality_chinese_document"),
    }


def test_an_over_long_list_is_not_checked_item_by_item(declaration: dict[str, Any]) -> None:
    declaration["itinerary"] = declaration["itinerary"] * 9
    assert found(declaration) == {("itinerary", "too_long")}


@pytest.mark.parametrize("data", [None, [], "text", 3, ["subject"]])
def test_not_an_object(data: Any) -> None:
    report = validate_declaration(data)
    assert [(p.loc, p.code) for p in report.problems] == [("", "not_an_object")]
    assert not report.valid


def test_an_empty_object_lists_every_required_field() -> None:
    missing = {
        "relationship",
        "subject",
        "contact",
        "residence",
        "status",
        "itinerary",
        "port_of_entry",
        "attested",
    }
    assert found({}) == {(field, "missing") for field in missing}


def test_a_model_is_accepted_as_it_is(declaration: dict[str, Any]) -> None:
    model = Declaration.model_validate(declaration)
    report = validate_declaration(model)
    assert report.declaration is model
    assert report.valid


def test_not_attested(declaration: dict[str, Any]) -> None:
    declaration["attested"] = False
    assert found(declaration) == {("attested", "not_attested")}


@pytest.mark.parametrize("version", [2, 0, "1"])
def test_schema_version(declaration: dict[str, Any], version: Any) -> None:
    declaration["schema_version"] = version
    assert found(declaration) == {("schema_version", "literal_error")}


def test_facts_from_data_match_the_models(parent_declaration: dict[str, Any]) -> None:
    """Read field by field, a valid file gives exactly the facts of its model."""
    model = Declaration.model_validate(parent_declaration)
    assert from_data(parent_declaration) == from_declaration(model)


def test_facts_of_garbage_are_unknown() -> None:
    facts = from_data({"subject": 1, "itinerary": [None, {"from": 5}], "tests": "x"})
    assert facts.subject.date_of_birth is None
    assert [leg.from_ for leg in facts.itinerary] == [None, None]
    assert facts.tests == ()
    assert facts.entry_leg is not None and facts.entry_leg.departs_at is None


# --- a trip still ahead: checked only against a clock ----------------------------------------


@settings(max_examples=60, deadline=None)
@given(minutes=st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60))
def test_a_flight_into_china_that_has_left_is_refused_at_its_departure(minutes: int) -> None:
    """Both examples, at moments around the departure of their flight into China (the last
    leg): refused from the minute it leaves, never without a clock."""
    for name in ("self", "parent"):
        data = example(name)
        last = len(data["itinerary"]) - 1
        departs = datetime.fromisoformat(data["itinerary"][last]["departs_at"])
        now = departs + timedelta(minutes=minutes)
        codes = {
            (p.loc, p.code)
            for p in validate_declaration(data, now=now).problems
            if p.code == "flight_departed"
        }
        expected = {(f"itinerary.{last}.departs_at", "flight_departed")} if minutes >= 0 else set()
        assert codes == expected
        assert "flight_departed" not in {p.code for p in validate_declaration(data).problems}


NOW = datetime.fromisoformat("2026-11-30T12:00:00-08:00")


@pytest.mark.parametrize(
    ("departs", "sampled", "refused"),
    [
        # The flight that lands then leaves at most a day before: its tests are in the future.
        ("9999-12-30T11:00:00-08:00", "9999-12-29T09:00:00-08:00", "test_in_future"),
        # Sampled by now, they are too early for it.
        ("9999-12-30T11:00:00-08:00", "2026-11-30T09:00:00-08:00", "test_too_early"),
        # Leaving when its tests allow, the flight would last eight thousand years.
        ("2026-12-01T11:00:00-08:00", "2026-11-30T09:00:00-08:00", "flight_too_long"),
    ],
)
def test_an_arrival_at_the_calendars_end_never_validates(
    declaration: dict[str, Any], departs: str, sampled: str, refused: str
) -> None:
    """The code's validity follows the arrival (a day past it, which the calendar cannot add
    to 23:00 on 31 December 9999). With a clock, a flight lasts at most a day, its required
    tests are sampled by now and at most two days before it leaves: the arrival is days from
    now, never years."""
    declaration["itinerary"][0]["departs_at"] = departs
    declaration["itinerary"][0]["arrives_at"] = "9999-12-31T23:00:00+08:00"
    declaration["subject"]["document"]["expires_on"] = None
    for test in declaration["tests"]:
        test["sampled_at"] = sampled
    report = validate_declaration(declaration, now=NOW)
    assert not report.valid
    assert refused in {p.code for p in report.problems}
