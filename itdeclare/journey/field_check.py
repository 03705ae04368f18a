"""A field's check: the domain's rule for one text, answering with the message to show."""

from __future__ import annotations

from collections.abc import Callable

from pydantic_core import PydanticCustomError

from itdeclare.models import Problem
from itdeclare.wording import problem_text

#: Returns the message for ``value``, or ``None`` when it is fine.
Check = Callable[[str], str | None]


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
