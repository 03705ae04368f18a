"""The entry rules as data, and the evaluator's time windows across zones, the date line and DST."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from itdeclare import i18n
from itdeclare.models import LabTestKind, RuleSet, default_rules
from itdeclare.models.rules import ANY_COUNTRY, evaluate
from tests.models.helpers import found, lab, leg, only, problems, trip


def sfo_on(day: int) -> list[dict[str, str]]:
    """UA857 from San Francisco at 11:00 local time on ``day`` December 2026."""
    return [
        leg(
            "UA857",
            "SFO",
            "PVG",
            f"2026-12-{day:02d}T11:00:00-08:00",
            f"2026-12-{day + 1:02d}T17:00:00+08:00",
        )
    ]


# --- the shipped rules document ------------------------------------------------------------


def test_default_rules_model_the_2021_notice() -> None:
    rules = default_rules()
    assert rules.schema_version == 1
    assert rules.version
    rule = rules.rule_for("USA", date(2026, 12, 1))
    assert rule is not None
    assert rule.departure_countries == (ANY_COUNTRY,)
    assert rule.effective_from == date(2021, 3, 15)
    assert {(t.kind, t.max_calendar_days_before_departure) for t in rule.required_tests} == {
        (LabTestKind.NUCLEIC_ACID, 2),
        (LabTestKind.IGM, 2),
    }
    assert rule.tests_in_departure_country
    assert set(rule.description) == {"en", "zh"}


def test_rules_document_is_strict() -> None:
    document = default_rules().model_dump(mode="json")
    document["rules"][0]["surprise"] = True
    with pytest.raises(ValidationError):
        RuleSet.model_validate(document)


def custom_rules(*rules: dict[str, Any]) -> RuleSet:
    return RuleSet.model_validate(
        {"schema_version": 1, "version": "test", "published": "2011-01-01", "rules": rules}
    )


def rule(
    rule_id: str,
    effective_from: str,
    countries: list[str],
    tests: dict[str, int],
) -> dict[str, Any]:
    return {
        "id": rule_id,
        "effective_from": effective_from,
        "departure_countries": countries,
        "required_tests": [
            {"kind": kind, "max_calendar_days_before_departure": days}
            for kind, days in tests.items()
        ],
        "description": {"en": rule_id, "zh": rule_id},
    }


NUCLEIC_AND_IGM = {"nucleic_acid": 2, "igm": 2}
CATCH_ALL = rule("any", "2021-03-15", ["*"], NUCLEIC_AND_IGM)
USA_LATER = rule("usa-2027", "2027-01-01", ["USA"], {"nucleic_acid": 1})


def test_a_rule_for_the_country_beats_the_catch_all_once_in_force() -> None:
    rules = custom_rules(CATCH_ALL, USA_LATER)
    assert rules.rule_for("USA", date(2026, 12, 31)).id == "any"  # type: ignore[union-attr]
    assert rules.rule_for("USA", date(2027, 1, 1)).id == "usa-2027"  # type: ignore[union-attr]
    assert rules.rule_for("DEU", date(2027, 1, 1)).id == "any"  # type: ignore[union-attr]
    assert rules.rule_for("USA", date(2021, 3, 14)) is None


def test_the_latest_rule_in_force_wins() -> None:
    newer = rule("any-2026", "2026-06-01", ["*"], {"nucleic_acid": 1})
    rules = custom_rules(CATCH_ALL, newer)
    assert rules.rule_for("JPN", date(2026, 5, 31)).id == "any"  # type: ignore[union-attr]
    assert rules.rule_for("JPN", date(2026, 6, 1)).id == "any-2026"  # type: ignore[union-attr]


def test_the_rule_in_force_on_the_departure_date_is_applied() -> None:
    """Only a nucleic-acid test, sampled the day before, from 2027 for departures from the US."""
    rules = custom_rules(CATCH_ALL, USA_LATER)
    data = trip(sfo_on(2), "2026-11-30T09:00:00-08:00", "USA")  # 2 Dec 2026: the 2021 rule
    assert found(data, ruleset=rules) == set()
    data = trip(
        [leg("UA857", "SFO", "PVG", "2027-01-02T11:00:00-08:00", "2027-01-03T17:00:00+08:00")],
        "2026-12-31T09:00:00-08:00",
        "USA",
    )
    assert found(data, ruleset=rules) == {("tests.0.sampled_at", "test_too_early")}


def test_no_rule_in_force_no_requirement() -> None:
    data = trip(sfo_on(2), None, "USA")
    assert found(data, ruleset=custom_rules(USA_LATER)) == set()


def test_consulate_overrides() -> None:
    rules = default_rules()
    assert rules.consulate_for("USA") == "USA"
    assert rules.consulate_for("MCO") == "FRA"


# --- the window: sampled on the 8th is good for flights on the 8th, 9th and 10th -------------


@pytest.mark.parametrize("day", [8, 9, 10])
def test_sampled_on_the_8th_is_valid_until_the_10th(day: int) -> None:
    assert found(trip(sfo_on(day), "2026-12-08T09:00:00-08:00", "USA")) == set()


def test_sampled_on_the_8th_is_too_early_for_the_11th() -> None:
    data = trip(sfo_on(11), "2026-12-08T09:00:00-08:00", "USA")
    assert found(data) == {
        ("tests.0.sampled_at", "test_too_early"),
        ("tests.1.sampled_at", "test_too_early"),
    }
    problem = problems(data)[0]
    assert problem.params["sampled"] == date(2026, 12, 8)
    assert problem.params["earliest"] == date(2026, 12, 9)
    assert problem.params["kind"] is LabTestKind.NUCLEIC_ACID
    assert problem.params["departure"] == datetime.fromisoformat("2026-12-11T11:00:00-08:00")


def test_calendar_days_not_hours() -> None:
    """Five minutes past midnight two days before: about 59 hours, still inside the window."""
    assert found(trip(sfo_on(10), "2026-12-08T00:05:00-08:00", "USA")) == set()
    data = trip(sfo_on(10), "2026-12-07T23:55:00-08:00", "USA")
    assert ("tests.0.sampled_at", "test_too_early") in found(data)


def test_three_calendar_days_before_states_the_window_in_plain_dates() -> None:
    data = trip(sfo_on(11), "2026-12-08T09:00:00-08:00", "USA")
    problem = problems(data)[0]
    english = i18n.problem_message(problem, "en")
    assert "sampled on 8 Dec 2026" in english
    assert "sample on or after 9 Dec 2026" in english
    chinese = i18n.problem_message(problem, "zh")
    assert "2026年12月9日或之后采样" in chinese
    assert "核酸检测" in chinese


def test_counted_in_the_departure_airports_local_time() -> None:
    """01:00 on the 8th in Shanghai is 09:00 on the 7th in San Francisco: too early for the
    10th, whatever zone the sampling time was written in."""
    data = trip(sfo_on(10), "2026-12-08T01:00:00+08:00", "USA")
    problem = problems(data)[0]
    assert (problem.code, problem.params["sampled"]) == ("test_too_early", date(2026, 12, 7))
    assert found(trip(sfo_on(10), "2026-12-09T01:00:00+08:00", "USA")) == set()


# --- the date line ---------------------------------------------------------------------------


AKL = [leg("NZ289", "AKL", "PVG", "2026-12-10T23:50:00+13:00", "2026-12-11T06:50:00+08:00")]
HNL = [leg("HA2020", "HNL", "PVG", "2026-12-10T13:00:00-10:00", "2026-12-11T19:00:00+08:00")]


def test_auckland_local_date_not_utc() -> None:
    """08:00 on the 8th in Auckland is still the 7th in UTC; the local date counts."""
    assert found(trip(AKL, "2026-12-08T08:00:00+13:00", "NZL")) == set()
    data = trip(AKL, "2026-12-07T23:00:00+13:00", "NZL")
    assert ("tests.0.sampled_at", "test_too_early") in found(data)


@pytest.mark.parametrize("written", ["2026-12-07T20:00:00-10:00", "2026-12-08T06:00:00Z"])
def test_honolulu_local_date_not_utc(written: str) -> None:
    """20:00 on the 7th in Honolulu is already the 8th in UTC, but too early for the 10th."""
    data = trip(HNL, written, "USA")
    problem = problems(data)[0]
    assert (problem.code, problem.params["sampled"]) == ("test_too_early", date(2026, 12, 7))


def test_samoa_skipped_30_december_2011() -> None:
    """Samoa crossed the date line at the end of 29 December 2011: the 31st came next. The
    window counts calendar dates, so a sample on the 29th is good for the 31st."""
    departs = "2011-12-31T10:00:00+14:00"
    apia = [leg("NZ991", "APW", "PVG", departs, "2011-12-31T19:00:00+08:00")]
    rules = custom_rules(rule("any-2011", "2011-01-01", ["*"], NUCLEIC_AND_IGM))
    data = trip(apia, "2011-12-29T10:00:00-10:00", "WSM")
    data["vaccinations"] = []
    assert found(data, ruleset=rules) == set()
    data = trip(apia, "2011-12-28T10:00:00-10:00", "WSM")
    data["vaccinations"] = []
    assert ("tests.0.sampled_at", "test_too_early") in found(data, ruleset=rules)


# --- daylight saving time ----------------------------------------------------------------------


FRA_DST = [leg("LH728", "FRA", "PVG", "2026-03-29T12:00:00+02:00", "2026-03-30T06:00:00+08:00")]


def test_window_across_the_start_of_summer_time() -> None:
    """Frankfurt moves to +02:00 on 29 March 2026; a sample at +01:00 on the 27th still counts."""
    assert found(trip(FRA_DST, "2026-03-27T00:30:00+01:00", "DEU")) == set()
    data = trip(FRA_DST, "2026-03-26T23:30:00+01:00", "DEU")
    assert ("tests.0.sampled_at", "test_too_early") in found(data)


def test_window_across_the_end_of_summer_time() -> None:
    """San Francisco returns to -08:00 on 1 November 2026."""
    flight = [leg("UA857", "SFO", "PVG", "2026-11-02T11:00:00-08:00", "2026-11-03T17:00:00+08:00")]
    assert found(trip(flight, "2026-10-31T23:30:00-07:00", "USA")) == set()
    data = trip(flight, "2026-10-30T23:30:00-07:00", "USA")
    assert ("tests.0.sampled_at", "test_too_early") in found(data)


# --- where and when ---------------------------------------------------------------------------


def test_transit_tests_in_the_country_of_the_last_legs_departure(
    parent_declaration: dict[str, Any],
) -> None:
    assert found(parent_declaration) == set()
    for test in parent_declaration["tests"]:
        test["country"] = "ESP"
    assert found(parent_declaration) == {
        ("tests.0.country", "test_wrong_country"),
        ("tests.1.country", "test_wrong_country"),
    }
    problem = problems(parent_declaration)[0]
    assert problem.params["expected"] == "DEU"
    assert problem.params["flight"] == "LH728"


def test_transit_window_counts_from_the_leg_into_china(
    parent_declaration: dict[str, Any],
) -> None:
    """Sampled in Madrid on the day of the first flight: three days before the flight into China."""
    for test in parent_declaration["tests"]:
        test |= {"sampled_at": "2026-12-05T06:00:00+01:00", "country": "ESP"}
    assert found(parent_declaration) == {
        (f"tests.{i}.{field}", code)
        for i in (0, 1)
        for field, code in (("sampled_at", "test_too_early"), ("country", "test_wrong_country"))
    }
    assert problems(parent_declaration)[0].params["earliest"] == date(2026, 12, 6)


def test_transit_through_tokyo() -> None:
    legs = [
        leg("NH7", "SFO", "NRT", "2026-12-06T11:00:00-08:00", "2026-12-07T15:30:00+09:00"),
        leg("NH919", "NRT", "PVG", "2026-12-09T10:00:00+09:00", "2026-12-09T12:30:00+08:00"),
    ]
    assert found(trip(legs, "2026-12-07T18:00:00+09:00", "JPN", residence="USA")) == set()
    data = trip(legs, "2026-12-06T08:00:00-08:00", "USA")
    assert found(data) == {
        ("tests.0.country", "test_wrong_country"),
        ("tests.1.country", "test_wrong_country"),
    }


@pytest.mark.parametrize(
    "sampled", ["2026-12-01T11:00:00-08:00", "2026-12-01T12:00:00-08:00", "2026-12-02T08:00+08:00"]
)
def test_sampled_at_or_after_departure(declaration: dict[str, Any], sampled: str) -> None:
    declaration["tests"][0]["sampled_at"] = sampled
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("tests.0.sampled_at", "test_after_departure")


@pytest.mark.parametrize("sampled", ["0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00+14:00"])
def test_sampled_before_the_calendar_began_at_the_airport(
    declaration: dict[str, Any], sampled: str
) -> None:
    """San Francisco's clock (local mean time, -07:52:58, in year 1) cannot show the sample:
    it is too early all the same, on its own date."""
    declaration["tests"][0]["sampled_at"] = sampled
    [problem] = [p for p in problems(declaration) if p.code == "test_too_early"]
    assert problem.loc == "tests.0.sampled_at"
    assert problem.params["sampled"] == date(1, 1, 1)


def test_positive_result(declaration: dict[str, Any]) -> None:
    declaration["tests"][1]["result"] = "positive"
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("tests.1.result", "test_positive")
    assert "positive IgM antibody test" in i18n.problem_message(problem, "en")


@pytest.mark.parametrize("kind", ["nucleic_acid", "igm"])
def test_missing_required_test(declaration: dict[str, Any], kind: str) -> None:
    declaration["tests"] = [t for t in declaration["tests"] if t["kind"] != kind]
    problem = only(declaration)
    assert (problem.loc, problem.code, problem.params) == ("tests", "test_missing", {"kind": kind})


def test_no_tests_at_all(declaration: dict[str, Any]) -> None:
    declaration["tests"] = []
    assert [(p.loc, p.params["kind"]) for p in problems(declaration)] == [
        ("tests", LabTestKind.NUCLEIC_ACID),
        ("tests", LabTestKind.IGM),
    ]


def test_optional_igg_may_be_positive_and_anywhere(declaration: dict[str, Any]) -> None:
    declaration["tests"].append(lab("igg", "2026-11-20T09:00:00+09:00", "JPN", "positive"))
    assert found(declaration) == set()


def test_optional_igg_is_still_sampled_before_departure(declaration: dict[str, Any]) -> None:
    declaration["tests"].append(lab("igg", "2026-12-02T18:00:00+08:00", "CHN"))
    assert found(declaration) == {("tests.2.sampled_at", "test_after_departure")}


def test_an_extra_older_test_of_a_required_kind_is_flagged(declaration: dict[str, Any]) -> None:
    declaration["tests"].append(lab("nucleic_acid", "2026-11-20T09:00:00-08:00", "USA"))
    assert found(declaration) == {("tests.2.sampled_at", "test_too_early")}


def test_sampling_time_in_the_future_only_with_a_clock(declaration: dict[str, Any]) -> None:
    assert found(declaration) == set()
    now = datetime.fromisoformat("2026-11-30T08:00:00-08:00")
    assert found(declaration, now=now) == {
        ("tests.0.sampled_at", "test_in_future"),
        ("tests.1.sampled_at", "test_in_future"),
    }


def test_evaluate_on_a_valid_declaration(declaration: dict[str, Any]) -> None:
    from itdeclare.models import Declaration

    model = Declaration.model_validate(declaration)
    assert evaluate(model, default_rules()) == []
