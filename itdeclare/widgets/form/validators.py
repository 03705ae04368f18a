"""Textual validators that wrap the domain's checks, so the form says what the API would say."""

from __future__ import annotations

from textual.validation import ValidationResult, Validator

from itdeclare.journey.field_check import Check


class DomainValidator(Validator):
    """Runs a check that answers with the message to show (``None`` when the value is fine)."""

    def __init__(self, check: Check) -> None:
        super().__init__()
        self._check = check

    def validate(self, value: str) -> ValidationResult:
        message = self._check(value)
        return self.success() if message is None else self.failure(message)
