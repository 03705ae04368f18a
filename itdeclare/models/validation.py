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

from itdeclare.models import consistency, rules
from itdeclare.models.declaration import Declaration
from itdeclare.models.problems import Problem, from_validation_error


@dataclass(frozen=True, slots=True)
class Report:
    declaration: Declaration | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.declaration is not None and not self.problems


def parse(data: Mapping[str, Any] | Declaration) -> tuple[Declaration | None, list[Problem]]:
    if isinstance(data, Declaration):
        return data, []
    if not isinstance(data, Mapping):
        return None, [Problem("", "not_an_object", {}, "A declaration is a JSON object")]
    try:
        return Declaration.model_validate(data), []
    except ValidationError as error:
        return None, from_validation_error(error)


def validate_declaration(
    data: Mapping[str, Any] | Declaration,
    ruleset: rules.RuleSet | None = None,
    now: datetime | None = None,
) -> Report:
    """Check a declaration; cross-field and rule checks run once every field is well formed."""
    declaration, problems = parse(data)
    if declaration is None:
        return Report(None, problems)
    found = consistency.check(declaration)
    found += rules.evaluate(declaration, ruleset or rules.default_rules(), now)
    return Report(declaration, found)
