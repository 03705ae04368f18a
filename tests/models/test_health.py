"""Tests, vaccinations and the history of infection, and their dates."""

from __future__ import annotations

from typing import Any

import pytest

from itdeclare.models import HistoryEntry, LabTest, Vaccination
from tests.models.helpers import found, only


def test_lab_test_fields_are_normalised() -> None:
    test = LabTest.model_validate(
        {
            "kind": "igm",
            "sampled_at": "2026-11-30T09:00:00-08:00",
            "result": "negative",
            "institution": "  Example   Lab ",
            "country": "usa",
        }
    )
    assert (test.institution, test.country) == ("Example Lab", "USA")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("kind", "pcr", "enum"),
        ("sampled_at", "2026-11-30T09:00:00", "timezone_aware"),
        ("sampled_at", "2026-11-30", "timezone_aware"),
        ("sampled_at", "yesterday", "datetime_from_date_parsing"),
        ("result", "inconclusive", "enum"),
        ("institution", "", "text_empty"),
        ("country", "ZZZ", "country_unknown"),
    ],
)
def test_lab_test_field_errors(
    declaration: dict[str, Any], field: str, value: str, code: str
) -> None:
    declaration["tests"][0][field] = value
    assert (f"tests.0.{field}", code) in found(declaration)


def test_a_bad_test_field_does_not_hide_the_other_tests_problems(
    declaration: dict[str, Any],
) -> None:
    declaration["tests"][0]["institution"] = ""
    declaration["tests"][1]["sampled_at"] = "2026-11-20T09:00:00-08:00"
    assert found(declaration) == {
        ("tests.0.institution", "text_empty"),
        ("tests.1.sampled_at", "test_too_early"),
    }


def test_a_test_of_unknown_kind_is_not_also_reported_missing(declaration: dict[str, Any]) -> None:
    declaration["tests"][1]["kind"] = "IgM"
    assert found(declaration) == {("tests.1.kind", "enum")}
    declaration["tests"][1]["sampled_at"] = "2026-12-03T09:00:00+08:00"  # after departure too
    assert found(declaration) == {("tests.1.kind", "enum")}  # the rule checks wait for the kind


@pytest.mark.parametrize(("dose", "of"), [(1, 1), (1, 2), (2, 2), (3, 3)])
def test_vaccination_dose_n_of_m(dose: int, of: int) -> None:
    vaccination = Vaccination.model_validate(
        {"product": "CoronaVac", "dose": dose, "of": of, "date": "2021-05-10", "country": "CHN"}
    )
    assert (vaccination.dose, vaccination.of) == (dose, of)


@pytest.mark.parametrize(
    ("dose", "of", "loc", "code"),
    [
        (3, 2, "of", "dose_exceeds_series"),
        (0, 2, "dose", "greater_than_equal"),
        (1, 0, "of", "greater_than_equal"),
        (10, 10, "dose", "less_than_equal"),
        (1.5, 2, "dose", "int_from_float"),
        ("two", 2, "dose", "int_parsing"),
    ],
)
def test_vaccination_dose_errors(
    declaration: dict[str, Any], dose: Any, of: Any, loc: str, code: str
) -> None:
    declaration["vaccinations"][0] |= {"dose": dose, "of": of}
    assert (f"vaccinations.0.{loc}", code) in found(declaration)


def test_unknown_vaccine(declaration: dict[str, Any]) -> None:
    declaration["vaccinations"][0]["product"] = "Pfizer"
    problem = only(declaration)
    assert (problem.loc, problem.code, problem.params) == (
        "vaccinations.0.product",
        "vaccine_unknown",
        {"value": "Pfizer"},
    )


def test_vaccination_before_birth(declaration: dict[str, Any]) -> None:
    declaration["vaccinations"][0]["date"] = "1950-01-01"
    assert found(declaration) == {("vaccinations.0.date", "before_birth")}


def test_vaccination_after_the_flight_into_china(declaration: dict[str, Any]) -> None:
    declaration["vaccinations"][0]["date"] = "2026-12-01"  # departure day, local: fine
    assert found(declaration) == set()
    declaration["vaccinations"][0]["date"] = "2026-12-02"
    assert found(declaration) == {("vaccinations.0.date", "after_departure")}


def test_history_of_a_diagnosis_and_recovery(parent_declaration: dict[str, Any]) -> None:
    entry = HistoryEntry.model_validate(parent_declaration["history"][0])
    assert (entry.date.isoformat(), entry.recovered_on.isoformat()) == (  # type: ignore[union-attr]
        "2022-12-20",
        "2023-01-05",
    )


@pytest.mark.parametrize("kind", ["positive_test", "diagnosis"])
def test_history_recovery_is_optional(declaration: dict[str, Any], kind: str) -> None:
    declaration["history"] = [{"kind": kind, "date": "2022-04-01"}]
    assert found(declaration) == set()
    declaration["history"][0]["recovered_on"] = None
    assert found(declaration) == set()


def test_recovery_before_the_diagnosis(parent_declaration: dict[str, Any]) -> None:
    parent_declaration["history"][0]["recovered_on"] = "2022-12-19"
    problem = only(parent_declaration)
    assert (problem.loc, problem.code) == ("history.0.recovered_on", "recovery_before_onset")


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"kind": "diagnosis", "date": "1949-01-01"}, {("history.0.date", "before_birth")}),
        ({"kind": "diagnosis", "date": "2026-12-20"}, {("history.0.date", "after_departure")}),
        (
            {"kind": "diagnosis", "date": "2026-11-01", "recovered_on": "2026-12-20"},
            {("history.0.recovered_on", "after_departure")},
        ),
        ({"kind": "infection", "date": "2022-01-01"}, {("history.0.kind", "enum")}),
    ],
)
def test_history_dates(
    parent_declaration: dict[str, Any], entry: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    parent_declaration["history"] = [entry]
    assert found(parent_declaration) == expected


def test_lists_are_bounded(declaration: dict[str, Any]) -> None:
    declaration["vaccinations"] = declaration["vaccinations"] * 13
    assert found(declaration) == {("vaccinations", "too_long")}
