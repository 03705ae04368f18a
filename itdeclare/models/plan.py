"""Plan the dates of a trip: when to sample each test the rules require, and when to submit.

Read off the itinerary and the rule in force, the way ``rules.evaluate_facts`` checks them: the
window is counted in calendar days at the airport the flight into China departs from, so the
dates are that airport's local dates. The declaration is submitted once the results are in and
before that flight departs (a declaration for a departed flight is refused).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from itdeclare.models import reference
from itdeclare.models.enums import LabTestKind
from itdeclare.models.partial import Facts
from itdeclare.models.rules import RuleSet, days_before


@dataclass(frozen=True, slots=True)
class SampleWindow:
    """Sample a test of ``kind`` on a local date from ``first_day`` to ``last_day`` (inclusive),
    before ``departs_at``; in ``country`` when the rule says so (``None``: anywhere)."""

    kind: LabTestKind
    first_day: dt.date
    last_day: dt.date
    country: str | None


@dataclass(frozen=True, slots=True)
class Plan:
    rule_id: str
    rules_version: str
    flight: str
    airport: str
    """The IATA code of the airport the flight into China departs from."""
    zone: str
    """That airport's IANA time zone: every date of the plan is a local date there."""
    departs_at: dt.datetime
    """When the flight into China departs, in the airport's local time (as written when the
    airport's clock cannot show it: a departure typed at the calendar's end)."""
    windows: tuple[SampleWindow, ...]

    @property
    def submit_from(self) -> dt.date:
        """The first day the declaration can be complete: every required test may be sampled."""
        return max((window.first_day for window in self.windows), default=self.departs_at.date())

    @property
    def submit_by(self) -> dt.datetime:
        """The declaration must be submitted before the flight into China departs."""
        return self.departs_at


def plan_dates(facts: Facts, rules: RuleSet) -> Plan | None:
    """The plan for the trip in ``facts``, or ``None`` while the flight into China (its number,
    departure airport and time) is not known, or no rule applies to it."""
    leg = facts.entry_leg
    if leg is None or leg.departs_at is None or not leg.from_ or not leg.flight:
        return None
    airport = reference.airport(leg.from_)
    if airport is None:
        return None
    departs = reference.local_time(leg.departs_at, leg.from_)
    rule = rules.rule_for(airport.country, departs.date())
    if rule is None:
        return None
    country = airport.country if rule.tests_in_departure_country else None
    windows = tuple(
        SampleWindow(
            required.kind,
            days_before(departs.date(), required.max_calendar_days_before_departure),
            departs.date(),
            country,
        )
        for required in rule.required_tests
    )
    return Plan(rule.id, rules.version, leg.flight, leg.from_, airport.zone.key, departs, windows)
