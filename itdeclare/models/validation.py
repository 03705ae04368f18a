"""One entry point for checking a declaration: shape, field formats, consistency and rules.

The TUI, ``itdeclare validate`` and the backend all call ``validate_declaration``, so a problem
reads the same, at the same field, wherever it is found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from itdeclare.models import cautions, consistency, partial, rules
from itdeclare.models.declaration import Declaration
from itdeclare.models.problems import Problem, from_validation_error


@dataclass(frozen=True, slots=True)
class Report:
    declaration: Declaration | None
    problems: list[Problem] = field(default_factory=list)
    #: The common reasons for rejection the rules cannot decide; they never make it invalid.
    warnings: list[cautions.Caution] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.declaration is not None and not self.problems


def parse(data: Mapping[str, Any] | Declaration) -> tuple[Declaration | None, list[Problem]]:
    if isinstance(data, Declaration):
        return data, []
    if not isinstance(data, Mapping):
        return None, [Problem("", "not_an_object", {}, "A declaration is a JSON object")]
    try:
        # The file spells fields as §4.5 does ("from"); Python's names ("from_") are unknown there.
        return Declaration.model_validate(data, by_name=False), []
    except ValidationError as error:
        return None, from_validation_error(error)


def validate_declaration(
    data: Mapping[str, Any] | Declaration,
    ruleset: rules.RuleSet | None = None,
    now: datetime | None = None,
    holders: Mapping[int, cautions.CertificateHolder] | None = None,
) -> Report:
    """Check a declaration: every problem at once, field errors first.

    With ``now``, the checks that depend on the moment run too: the flight into China must not
    have left, no test may be sampled in the future. Without it the file is checked as a document.

    Cross-field and rule checks run on every field that is valid, even when others are not, so a
    mistyped phone number does not hide a test sampled too early. A field that has an error of its
    own gets no second problem from those checks, nor a warning. ``holders``: who each
    imported test's certificate names, by the test's index.
    """
    declaration, problems = parse(data)
    if declaration is not None:
        facts = partial.from_declaration(declaration)
    elif isinstance(data, Mapping):
        facts = partial.from_data(data)
    else:
        return Report(None, problems)
    ruleset = ruleset or rules.default_rules()
    related = consistency.check_facts(facts)
    if now is not None:
        related += consistency.trip_ahead(facts, now)
    related += rules.evaluate_facts(facts, ruleset, now)
    problems += [p for p in related if not _within_errors(p.loc, problems)]
    warnings = cautions.cautions_for(facts, ruleset, holders)
    return Report(
        declaration, problems, [w for w in warnings if not _within_errors(w.loc, problems)]
    )


def _within_errors(loc: str, errors: list[Problem]) -> bool:
    """Whether ``loc`` is a field with an error, or inside one (an over-long list)."""
    return any(loc == error.loc or loc.startswith(f"{error.loc}.") for error in errors)
