"""Planning the dates: the sampling windows at the departure airport, and the time to submit by."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from itdeclare.models import LabTestKind, default_rules, partial
from itdeclare.models.plan import plan_dates
from itdeclare.models.rules import RuleSet
from tests.models.helpers import example


def planned(data: dict[str, Any], rules: RuleSet | None = None) -> Any:
    return plan_dates(partial.from_data(data), rules or default_rules())


def test_the_windows_are_local_dates_at_the_departure_airport() -> None:
    plan = planned(example("self"))  # UA857 leaves SFO at 11:00 on 1 Dec 2026 (UTC-8)
    assert (plan.flight, plan.airport, plan.zone) == ("UA857", "SFO", "America/Los_Angeles")
    assert [(w.kind, w.first_day, w.last_day, w.country) for w in plan.windows] == [
        (LabTestKind.NUCLEIC_ACID, date(2026, 11, 29), date(2026, 12, 1), "USA"),
        (LabTestKind.IGM, date(2026, 11, 29), date(2026, 12, 1), "USA"),
    ]
    assert plan.submit_from == date(2026, 11, 29)
    assert plan.submit_by == datetime.fromisoformat("2026-12-01T11:00:00-08:00")
    assert (
        plan.submit_by.utcoffset() == datetime.fromisoformat("2026-12-01T11:00-08:00").utcoffset()
    )


def test_a_late_evening_departure_written_in_another_offset_counts_at_the_airport() -> None:
    data = example("self")
    # 07:30 on 2 Dec in UTC is 23:30 on 1 Dec in San Francisco: the window ends on 1 Dec.
    data["itinerary"][0]["departs_at"] = "2026-12-02T07:30:00+00:00"
    plan = planned(data)
    assert {(w.first_day, w.last_day) for w in plan.windows} == {
        (date(2026, 11, 29), date(2026, 12, 1))
    }


def test_only_the_flight_into_china_counts() -> None:
    plan = planned(example("parent"))  # Madrid → Frankfurt → Shanghai
    assert (plan.flight, plan.airport) == ("LH728", "FRA")
    assert {w.country for w in plan.windows} == {"DEU"}


def test_a_draft_without_tests_or_a_valid_phone_still_gets_a_plan() -> None:
    data = example("self")
    data["tests"] = []
    data["contact"]["phone"] = "not a phone"
    assert planned(data) is not None


def test_no_plan_while_the_flight_into_china_is_incomplete() -> None:
    for change in ({"from": "XQX"}, {"departs_at": "yesterday"}, {"flight": ""}):
        data = example("self")
        data["itinerary"][0].update(change)
        assert planned(data) is None, change
    data = example("self")
    data["itinerary"] = []
    assert planned(data) is None


def test_no_plan_when_no_rule_applies() -> None:
    rules = default_rules().model_dump(mode="json")
    for rule in rules["rules"]:
        rule["effective_from"] = "2030-01-01"
    assert planned(example("self"), RuleSet.model_validate(rules)) is None


def test_the_days_come_from_the_rules() -> None:
    rules = default_rules().model_dump(mode="json")
    rules["rules"][0]["required_tests"] = [
        {"kind": "nucleic_acid", "max_calendar_days_before_departure": 3}
    ]
    rules["rules"][0]["tests_in_departure_country"] = False
    plan = planned(example("self"), RuleSet.model_validate(rules))
    [window] = plan.windows
    assert (window.first_day, window.country) == (date(2026, 11, 28), None)
