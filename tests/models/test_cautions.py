"""Warnings: the common reasons for rejection the rules cannot decide, from the rules' data."""

from __future__ import annotations

from typing import Any

import pytest

from itdeclare import i18n
from itdeclare.models import default_rules, validate_declaration
from itdeclare.models.cautions import KNOWN_CODES, CertificateHolder
from itdeclare.models.rules import RuleSet
from tests.models.helpers import example


def warned(data: dict[str, Any], **kwargs: Any) -> set[tuple[str, str]]:
    return {(w.loc, w.code) for w in validate_declaration(data, **kwargs).warnings}


def test_a_direct_flight_from_home_trips_none() -> None:
    assert warned(example("self")) == set()


def test_tests_in_the_country_of_a_connection_are_in_a_transit_country() -> None:
    # Madrid → Frankfurt → Shanghai, tested in Germany: the rules want it, the consulate checks it.
    assert warned(example("parent")) == {
        ("tests.0.country", "test_in_transit_country"),
        ("tests.1.country", "test_in_transit_country"),
    }
    data = example("parent")
    data["residence"]["country"] = "DEU"  # living in Germany, Frankfurt is no transit
    assert warned(data) == set()


def test_the_warnings_example_trips_every_warning_of_a_file_and_stays_valid() -> None:
    report = validate_declaration(example("warnings"))
    assert report.valid
    assert {(w.loc, w.code) for w in report.warnings} == {
        ("subject.chinese_name", "chinese_name_missing"),
        ("subject.document.type", "permit_not_declared"),
        ("tests.0.country", "test_in_transit_country"),
        ("tests.1.country", "test_in_transit_country"),
        ("subject.document.expires_on", "passport_expires_soon"),
        ("history.0.recovered_on", "diagnosis_without_recovery"),
        ("history.1.date", "recent_positive_test"),
    }


def test_every_warning_in_the_data_has_a_check_and_both_texts() -> None:
    rules = default_rules()
    assert {spec.code for spec in rules.warnings} == KNOWN_CODES
    for spec in rules.warnings:
        assert spec.message["en"] and spec.message["zh"]


def test_a_chinese_national_without_a_chinese_name() -> None:
    data = example("self")
    data["subject"]["chinese_name"] = None
    assert warned(data) == {("subject.chinese_name", "chinese_name_missing")}
    data["subject"]["nationality"] = "USA"
    data["subject"]["document"]["type"] = "foreign_passport"
    data["subject"]["id_card_number"] = None
    assert warned(data) == set()


def test_an_invalid_chinese_name_gets_its_error_and_no_warning() -> None:
    data = example("self")
    data["subject"]["chinese_name"] = "Zhang"
    report = validate_declaration(data)
    assert ("subject.chinese_name", "chinese_name_invalid") in {
        (p.loc, p.code) for p in report.problems
    }
    assert report.warnings == []


@pytest.mark.parametrize(("residence", "expected"), [("MAC", True), ("TWN", True), ("USA", False)])
def test_a_permit_region_resident_declaring_a_foreign_passport(
    residence: str, expected: bool
) -> None:
    data = example("self")
    data["residence"]["country"] = residence
    data["subject"].update(nationality="CAN", id_card_number=None)
    data["subject"]["document"]["type"] = "foreign_passport"
    hit = ("subject.document.type", "permit_not_declared") in warned(data)
    assert hit is expected


def test_a_test_in_the_departure_country_of_a_direct_flight_is_no_transit() -> None:
    assert not {code for _, code in warned(example("self"))} & {"test_in_transit_country"}


@pytest.mark.parametrize(
    ("expires_on", "expected"),
    [("2027-06-01", True), ("2027-06-02", False), (None, False)],
)
def test_a_document_expiring_within_six_months_of_arrival(
    expires_on: str | None, expected: bool
) -> None:
    data = example("self")  # arrives in Shanghai on 2 December 2026
    data["subject"]["document"]["expires_on"] = expires_on
    hit = ("subject.document.expires_on", "passport_expires_soon") in warned(data)
    assert hit is expected


def test_a_diagnosis_with_a_recovery_date_is_fine() -> None:
    data = example("self")
    data["history"] = [{"kind": "diagnosis", "date": "2026-01-01", "recovered_on": None}]
    assert warned(data) == {("history.0.recovered_on", "diagnosis_without_recovery")}
    data["history"][0]["recovered_on"] = "2026-01-20"
    assert warned(data) == set()


@pytest.mark.parametrize(
    ("date", "expected"), [("2026-11-17", True), ("2026-12-01", True), ("2026-11-16", False)]
)
def test_a_positive_test_within_fourteen_days_of_the_flight(date: str, expected: bool) -> None:
    data = example("self")  # the flight into China departs on 1 December 2026, local time
    data["history"] = [{"kind": "positive_test", "date": date, "recovered_on": None}]
    assert (("history.0.date", "recent_positive_test") in warned(data)) is expected


def test_a_trip_at_the_end_of_the_calendar_is_judged_not_broken() -> None:
    """Dates a slip of the keyboard puts at the calendar's ends (found by the property test):
    six months after an arrival in December 9999, fourteen days before a flight on 1 January
    of year 1, are past the calendar. The checks still answer, and raise nothing."""
    data = example("self")
    leg = data["itinerary"][0]
    leg["departs_at"], leg["arrives_at"] = "9999-12-01T11:00:00-08:00", "9999-12-02T17:00:00+08:00"
    data["subject"]["document"]["expires_on"] = "9999-12-30"
    assert ("subject.document.expires_on", "passport_expires_soon") in warned(data)
    data = example("self")
    leg = data["itinerary"][0]
    leg["departs_at"], leg["arrives_at"] = "0001-01-01T11:00:00-08:00", "0001-01-02T17:00:00+08:00"
    data["history"] = [{"kind": "positive_test", "date": "0001-01-01", "recovered_on": None}]
    report = validate_declaration(data)
    assert ("history.0.date", "before_birth") in {(p.loc, p.code) for p in report.problems}


def test_an_imported_test_naming_someone_else() -> None:
    data = example("self")  # ZHANG SAN, born 1956-03-01
    same = {
        0: CertificateHolder("ZHANG", "SAN", "1956-03-01"),
        1: CertificateHolder("Zhang", "San", "1956"),
    }
    assert warned(data, holders=same) == set()
    other = {1: CertificateHolder("ZHANG", "SI", "1956-03-01")}
    assert warned(data, holders=other) == {("tests.1", "test_holder_differs")}
    born_else = {0: CertificateHolder("ZHANG", "SAN", "1957-03-01")}
    assert warned(data, holders=born_else) == {("tests.0", "test_holder_differs")}


def test_thresholds_and_texts_come_from_the_data() -> None:
    rules = default_rules().model_dump(mode="json")
    for spec in rules["warnings"]:
        if spec["code"] == "passport_expires_soon":
            spec["params"]["months"] = 12
            spec["message"]["en"] = "needs {months} months, expires {expires}"
    changed = RuleSet.model_validate(rules)
    data = example("self")
    data["subject"]["document"]["expires_on"] = "2027-10-01"
    assert warned(data) == set()
    report = validate_declaration(data, changed)
    [warning] = report.warnings
    assert i18n.warning_message(warning, "en") == "needs 12 months, expires 1 Oct 2027"


def test_a_code_this_version_does_not_know_is_skipped() -> None:
    rules = default_rules().model_dump(mode="json")
    rules["warnings"] = [{"code": "from_the_future", "message": {"en": "x", "zh": "x"}}]
    data = example("self")
    data["subject"]["chinese_name"] = None
    assert validate_declaration(data, RuleSet.model_validate(rules)).warnings == []


def test_warnings_are_served_with_the_rules_and_read_back() -> None:
    served = default_rules().model_dump(mode="json")
    assert RuleSet.model_validate(served).warnings == default_rules().warnings
