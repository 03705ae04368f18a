"""A problem with a declaration: where it is, what it is, and the facts its message needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True, slots=True)
class Problem:
    """``loc`` is a dotted path into the declaration file (``tests.0.sampled_at``); ``code`` is a
    stable identifier; ``params`` fill the message, which ``itdeclare.i18n`` renders per language;
    ``fallback`` is the English message for a code the catalogue does not know."""

    loc: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    fallback: str = ""


def dotted(loc: Iterable[str | int]) -> str:
    return ".".join(str(part) for part in loc)


def from_validation_error(error: ValidationError, prefix: str = "") -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = dotted(item["loc"])
        if prefix:
            loc = f"{prefix}.{loc}" if loc else prefix
        params = dict(item.get("ctx") or {})
        params.pop("error", None)  # the exception object of a failed plain validator
        problems.append(Problem(loc, item["type"], params, item["msg"]))
    return problems
