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

from itdeclare.models import reference
from itdeclare.models.declaration import Declaration
from itdeclare.models.enums import LabResult, LabTestKind
from itdeclare.models.health import LabTest
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


class RuleSet(_Strict):
    schema_version: Literal[1]
    version: str
    published: date
    rules: tuple[Rule, ...] = Field(min_length=1)
    consulate_overrides: dict[str, str] = Field(default_factory=dict)

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
    leg = declaration.entry_leg
    departure = reference.airport(leg.from_)
    if departure is None:  # the field error already reported it
        return []
    local_departure = leg.departs_at.astimezone(departure.zone)
    rule = rules.rule_for(departure.country, local_departure.date())
    if rule is None:
        return []
    context = _Context(declaration, rule, departure.country, local_departure, now)
    return list(context.problems())


class _Context:
    def __init__(
        self,
        declaration: Declaration,
        rule: Rule,
        country: str,
        local_departure: datetime,
        now: datetime | None,
    ) -> None:
        self.declaration = declaration
        self.rule = rule
        self.country = country
        self.local_departure = local_departure
        self.now = now

    def problems(self) -> Iterator[Problem]:
        required = {test.kind: test for test in self.rule.required_tests}
        for kind in required:
            if not any(test.kind is kind for test in self.declaration.tests):
                yield Problem("tests", "test_missing", {"kind": kind})
        for i, test in enumerate(self.declaration.tests):
            if self.now is not None and test.sampled_at > self.now:
                yield Problem(f"tests.{i}.sampled_at", "test_in_future")
            if test.sampled_at >= self.declaration.entry_leg.departs_at:
                # Every test of the trip, required or not, is sampled before it leaves for China.
                yield Problem(f"tests.{i}.sampled_at", "test_after_departure", self._facts(test))
            elif test.kind in required:
                yield from self._window(i, test, required[test.kind])
            if test.kind in required:
                yield from self._place_and_result(i, test)

    def _facts(self, test: LabTest) -> dict[str, object]:
        leg = self.declaration.entry_leg
        return {
            "kind": test.kind,
            "flight": leg.flight,
            "airport": leg.from_,
            "departure": self.local_departure,
        }

    def _window(self, i: int, test: LabTest, requirement: RequiredTest) -> Iterator[Problem]:
        facts = self._facts(test)
        departure_day = self.local_departure.date()
        earliest = departure_day - timedelta(days=requirement.max_calendar_days_before_departure)
        sampled_day = test.sampled_at.astimezone(self.local_departure.tzinfo).date()
        if sampled_day < earliest:
            yield Problem(
                f"tests.{i}.sampled_at",
                "test_too_early",
                {**facts, "sampled": sampled_day, "earliest": earliest},
            )

    def _place_and_result(self, i: int, test: LabTest) -> Iterator[Problem]:
        facts = self._facts(test)
        if self.rule.tests_in_departure_country and test.country != self.country:
            yield Problem(
                f"tests.{i}.country", "test_wrong_country", {**facts, "expected": self.country}
            )
        if test.result is LabResult.POSITIVE:
            yield Problem(f"tests.{i}.result", "test_positive", facts)
