"""Entry rules as data: which tests a trip needs, and when and where they must be sampled.

The rules document is versioned JSON (``data/rules.json`` ships the default; the backend serves
the one in force at ``GET /api/v1/rules``). Each rule applies from a date to departures from a
set of countries (``"*"`` for any); the most specific rule in force on the departure date wins.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from itdeclare.models import partial, reference
from itdeclare.models.declaration import Declaration
from itdeclare.models.enums import LabResult, LabTestKind
from itdeclare.models.partial import Facts, Leg, Sample
from itdeclare.models.problems import Problem

ANY_COUNTRY = "*"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequiredTest(_Strict):
    kind: LabTestKind
    max_calendar_days_before_departure: int = Field(ge=0, le=30)


class Rule(_Strict):
    id: str
    effective_from: date
    departure_countries: tuple[str, ...] = (ANY_COUNTRY,)
    required_tests: tuple[RequiredTest, ...]
    tests_in_departure_country: bool = True
    description: dict[Literal["en", "zh"], str]

    def applies_to(self, country: str) -> bool:
        return ANY_COUNTRY in self.departure_countries or country in self.departure_countries


class WarningSpec(_Strict):
    """A common reason for rejection that the rules cannot decide (``models.cautions`` has one
    check per ``code``; a code it does not know is skipped, so newer rules load in older
    clients). ``params`` tune the check; ``message`` is what the consulate will look for, a
    template filled with the check's facts."""

    code: str
    params: dict[str, int | tuple[str, ...]] = Field(default_factory=dict)
    message: dict[Literal["en", "zh"], str]


class RuleSet(_Strict):
    schema_version: Literal[1]
    version: str
    published: date
    rules: tuple[Rule, ...] = Field(min_length=1)
    consulate_overrides: dict[str, str] = Field(default_factory=dict)
    warnings: tuple[WarningSpec, ...] = ()

    def rule_for(self, country: str, on: date) -> Rule | None:
        """The rule in force for a departure from ``country`` on ``on``: a rule naming the
        country beats a catch-all, then the latest ``effective_from`` wins."""
        candidates = [r for r in self.rules if r.effective_from <= on and r.applies_to(country)]
        if not candidates:
            return None
        return max(
            candidates,
            key=lambda r: (country in r.departure_countries, r.effective_from),
        )

    def consulate_for(self, residence_country: str) -> str:
        """The consulate (by country code) that reviews residents of ``residence_country``."""
        return self.consulate_overrides.get(residence_country, residence_country)


@cache
def default_rules() -> RuleSet:
    text = resources.files(__package__).joinpath("data", "rules.json").read_text("utf-8")
    return RuleSet.model_validate(json.loads(text))


def evaluate(
    declaration: Declaration, rules: RuleSet, now: datetime | None = None
) -> list[Problem]:
    """Every way the declaration's tests fail the rules; empty when they pass."""
    return evaluate_facts(partial.from_declaration(declaration), rules, now)


def evaluate_facts(facts: Facts, rules: RuleSet, now: datetime | None = None) -> list[Problem]:
    """``evaluate`` on what is known of a declaration, which may have invalid fields.

    The window is counted in the local time of the airport the flight into China departs from.
    When that airport is not known, the departure's own UTC offset stands in for it, and only
    rules for any country apply. The offset stands in too when the airport's clock cannot show
    the departure (a time typed at the calendar's end).
    """
    leg = facts.entry_leg
    if leg is None or leg.departs_at is None:
        return []
    airport = reference.airport(leg.from_) if leg.from_ else None
    local_departure = reference.local_time(leg.departs_at, leg.from_)
    country = airport.country if airport else None
    rule = rules.rule_for(country or ANY_COUNTRY, local_departure.date())
    if rule is None:
        return []
    return list(_Context(facts, leg, rule, country, local_departure, now).problems())


class _Context:
    def __init__(
        self,
        facts: Facts,
        leg: Leg,
        rule: Rule,
        country: str | None,
        local_departure: datetime,
        now: datetime | None,
    ) -> None:
        self.facts = facts
        self.leg = leg
        self.rule = rule
        self.country = country
        self.local_departure = local_departure
        self.now = now

    def problems(self) -> Iterator[Problem]:
        required = {test.kind: test for test in self.rule.required_tests}
        yield from self._missing(required)
        for i, test in enumerate(self.facts.tests):
            if test.sampled_at is not None and test.kind is not None:
                yield from self._timing(i, test, required)
            if test.kind in required:
                yield from self._place_and_result(i, test)

    def _missing(self, required: dict[LabTestKind, RequiredTest]) -> Iterator[Problem]:
        kinds = [test.kind for test in self.facts.tests]
        if None in kinds:  # a test of unknown kind may be the one that seems missing
            return
        for kind in required:
            if kind not in kinds:
                yield Problem("tests", "test_missing", {"kind": kind})

    def _facts(self, test: Sample) -> dict[str, object]:
        return {
            "kind": test.kind,
            "flight": self.leg.flight or "",
            "airport": self.leg.from_ or "",
            "departure": self.local_departure,
        }

    def _timing(
        self, i: int, test: Sample, required: dict[LabTestKind, RequiredTest]
    ) -> Iterator[Problem]:
        assert test.sampled_at is not None and self.leg.departs_at is not None
        if self.now is not None and test.sampled_at > self.now:
            yield Problem(f"tests.{i}.sampled_at", "test_in_future")
        if test.sampled_at >= self.leg.departs_at:
            # Every test of the trip, required or not, is sampled before it leaves for China.
            yield Problem(f"tests.{i}.sampled_at", "test_after_departure", self._facts(test))
        elif test.kind in required:
            yield from self._window(i, test, required[test.kind])

    def _window(self, i: int, test: Sample, requirement: RequiredTest) -> Iterator[Problem]:
        zone = self.local_departure.tzinfo
        assert test.sampled_at is not None and zone is not None
        departure_day = self.local_departure.date()
        earliest = days_before(departure_day, requirement.max_calendar_days_before_departure)
        # A sample before the calendar's first day on the departure's clock keeps its own date.
        sampled_day = (reference.on_clock(test.sampled_at, zone) or test.sampled_at).date()
        if sampled_day < earliest:
            yield Problem(
                f"tests.{i}.sampled_at",
                "test_too_early",
                {**self._facts(test), "sampled": sampled_day, "earliest": earliest},
            )

    def _place_and_result(self, i: int, test: Sample) -> Iterator[Problem]:
        facts = self._facts(test)
        in_country = self.rule.tests_in_departure_country
        if in_country and self.country and test.country and test.country != self.country:
            yield Problem(
                f"tests.{i}.country", "test_wrong_country", {**facts, "expected": self.country}
            )
        if test.result is LabResult.POSITIVE:
            yield Problem(f"tests.{i}.result", "test_positive", facts)


def days_before(day: date, days: int) -> date:
    """The day ``days`` (zero or more) before ``day``, or the calendar's first day: a trip dated
    in the first days of year 1 (a slip of the keyboard) has no earlier days to count."""
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return date.min
