"""Textual validators that wrap the domain's checks, so the form says what the API would say."""

from __future__ import annotations

from collections.abc import Callable

from pydantic_core import PydanticCustomError
from textual.validation import ValidationResult, Validator

from itdeclare.models import Problem
from itdeclare.widgets.text import problem_text

#: Returns the message for ``value``, or ``None`` when it is fine.
Check = Callable[[str], str | None]


class DomainValidator(Validator):
    """Runs a check that answers with the message to show (``None`` when the value is fine)."""

    def __init__(self, check: Check) -> None:
        super().__init__()
        self._check = check

    def validate(self, value: str) -> ValidationResult:
        message = self._check(value)
        return self.success() if message is None else self.failure(message)


def field_check(rule: Callable[[str], object], loc: str = "") -> Check:
    """A check from one of ``itdeclare.models.validators`` (anything raising
    ``PydanticCustomError``); empty text passes, a required field is checked on saving."""

    def check(value: str) -> str | None:
        if not value.strip():
            return None
        try:
            rule(value)
        except PydanticCustomError as error:
            return problem_text(Problem(loc, error.type, error.context or {}, error.message()))
        return None

    return check
