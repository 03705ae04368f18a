"""The rules check of a declaration as the reviewer reads it: which rule, which leg, which window,
and what each test is found to be.

The verdict is the domain's own (``validate_declaration`` with the rules the backend serves);
this module only arranges it: problems by test, the rest apart, and the window each required
test had to fall in, read off the rule in force for the flight into China.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from itdeclare.models import (
    Declaration,
    FlightLeg,
    LabTest,
    Problem,
    RuleSet,
    reference,
    validate_declaration,
)
from itdeclare.models.cautions import Caution
from itdeclare.models.rules import Rule


@dataclass(frozen=True, slots=True)
class TestCheck:
    index: int
    test: LabTest
    problems: tuple[Problem, ...]
    earliest: date | None
    """The first calendar day the rule allows for this kind; ``None`` if the rule needs none."""

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class RulesCheck:
    rules_version: str
    rule: Rule | None
    leg: FlightLeg
    local_departure: datetime | None
    """When the flight into China leaves, in its departure airport's time."""
    tests: tuple[TestCheck, ...]
    other: tuple[Problem, ...]
    """Problems not about one test: a missing test, an inconsistent identity, …"""
    warnings: tuple[Caution, ...] = ()
    """The common reasons for rejection the rules cannot decide: what to look at closely."""

    @property
    def passed(self) -> bool:
        return not self.other and all(test.passed for test in self.tests)

    def problems(self) -> list[Problem]:
        """Every problem found, wherever it is."""
        return [*self.other, *(problem for test in self.tests for problem in test.problems)]


def check(declaration: Declaration, rules: RuleSet, now: datetime | None = None) -> RulesCheck:
    report = validate_declaration(declaration, rules, now)
    problems = report.problems
    leg = declaration.entry_leg
    airport = reference.airport(leg.from_)
    local = leg.departs_at.astimezone(airport.zone) if airport else None
    rule = rules.rule_for(airport.country, local.date()) if airport and local else None
    earliest: dict[object, date] = {}
    if rule is not None and local is not None:
        for required in rule.required_tests:
            days = timedelta(days=required.max_calendar_days_before_departure)
            earliest[required.kind] = local.date() - days
    tests = tuple(
        TestCheck(
            i,
            test,
            tuple(p for p in problems if p.loc.startswith(f"tests.{i}.")),
            earliest.get(test.kind),
        )
        for i, test in enumerate(declaration.tests)
    )
    other = tuple(p for p in problems if not any(p in t.problems for t in tests))
    return RulesCheck(rules.version, rule, leg, local, tests, other, tuple(report.warnings))
