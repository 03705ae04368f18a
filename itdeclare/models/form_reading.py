"""The declaration form as a draft holds it, read into a §4.5 document for the models to check.

A draft holds the declaration as typed: the §4.5 shape with text at the leaves ("26/11 14:05",
"e1234 5678", "" for a field left empty). ``read_form`` turns it into a §4.5 document: empty text
is left out (so an optional field is absent and a required one "missing"), dates and times are
read forgivingly (:mod:`itdeclare.models.typed_dates`), times in the zone of their airport.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticCustomError

from itdeclare.models.problems import Problem
from itdeclare.models.typed_dates import parse_date, parse_datetime, reading_error

if TYPE_CHECKING:
    from itdeclare.models.cautions import Caution, CertificateHolder
    from itdeclare.models.rules import RuleSet

#: Field paths (list indices as ``*``) read as dates, as whole numbers, and as datetimes with
#: the field whose airport gives the zone (``entry`` = where the flight into China departs).
DATE_FIELDS = frozenset(
    {
        "subject.date_of_birth",
        "subject.document.expires_on",
        "vaccinations.*.date",
        "history.*.date",
        "history.*.recovered_on",
    }
)
NUMBER_FIELDS = frozenset({"vaccinations.*.dose", "vaccinations.*.of"})
DATETIME_ZONES = {
    "itinerary.*.departs_at": "from",
    "itinerary.*.arrives_at": "to",
    "tests.*.sampled_at": "entry",
}


def pattern_of(loc: str) -> str:
    """``tests.0.sampled_at`` -> ``tests.*.sampled_at``."""
    return ".".join("*" if part.isdigit() else part for part in loc.split("."))


def airport_code_at(form: Mapping[str, Any], loc: str) -> str | None:
    """The airport whose clock a datetime field uses, as typed in the form (upper case)."""
    which = DATETIME_ZONES.get(pattern_of(loc))
    if which is None:
        return None
    legs = form.get("itinerary") or []
    if which == "entry":
        leg = legs[-1] if legs else {}
        code = leg.get("from") if isinstance(leg, Mapping) else None
    else:
        index = int(loc.split(".")[1])
        leg = legs[index] if index < len(legs) else {}
        code = leg.get(which) if isinstance(leg, Mapping) else None
    return code.strip().upper() if isinstance(code, str) and code.strip() else None


def zone_at(form: Mapping[str, Any], loc: str) -> tuple[str, tzinfo] | None:
    """(airport code, its zone) for a datetime field, when the airport is known."""
    from itdeclare.models import reference

    code = airport_code_at(form, loc)
    airport = reference.airport(code) if code else None
    return (airport.iata, airport.zone) if airport else None


@dataclass(frozen=True, slots=True)
class FormReading:
    document: dict[str, Any]
    problems: list[Problem]


def read_value(form: Mapping[str, Any], loc: str, value: str, today: date) -> Any:
    """One leaf as the document holds it; raises PydanticCustomError when it cannot be read."""
    pattern = pattern_of(loc)
    if pattern in DATE_FIELDS:
        return parse_date(value, today).isoformat()
    if pattern in NUMBER_FIELDS:
        digits = unicodedata.normalize("NFKC", value).strip()
        if not digits.isdigit():
            raise reading_error("number_unreadable", "Type a whole number, like 2")
        return int(digits)
    if pattern in DATETIME_ZONES:
        found = zone_at(form, loc)
        return parse_datetime(value, found[1] if found else None, today).isoformat()
    return value.strip()


def read_form(form: Mapping[str, Any], today: date) -> FormReading:
    problems: list[Problem] = []

    def walk(node: Any, loc: str) -> Any:
        if isinstance(node, Mapping):
            out = {}
            for key, child in node.items():
                value = walk(child, f"{loc}.{key}" if loc else key)
                if value is not _ABSENT:
                    out[key] = value
            return out
        if isinstance(node, list):
            return [walk(child, f"{loc}.{i}") for i, child in enumerate(node)]
        if node is None or (isinstance(node, str) and not node.strip()):
            return _ABSENT
        if not isinstance(node, str):
            return node
        try:
            return read_value(form, loc, node, today)
        except PydanticCustomError as error:
            problems.append(Problem(loc, error.type, error.context or {}, error.message()))
            return _ABSENT

    document = walk(form, "")
    return FormReading(document, problems)


_ABSENT = object()


def form_warnings(
    form: Mapping[str, Any],
    today: date,
    *,
    ruleset: RuleSet | None = None,
    holders: Mapping[int, CertificateHolder] | None = None,
) -> list[Caution]:
    """The common reasons for rejection the form trips (``models.cautions``), read as
    ``check_form`` reads it; a field with an error of its own gets no warning. ``holders``:
    whom the certificates of imported tests name, by test index."""
    from itdeclare.models.validation import validate_declaration

    reading = read_form(form, today)
    report = validate_declaration({**reading.document, "attested": True}, ruleset, holders=holders)
    unreadable = {problem.loc for problem in reading.problems}
    return [w for w in report.warnings if w.loc not in unreadable]


def check_form(
    form: Mapping[str, Any],
    today: date,
    *,
    now: datetime | None = None,
    ruleset: RuleSet | None = None,
) -> list[Problem]:
    """Every problem of the form: unreadable values, then what the models and rules find.

    The attestation is checked apart (``not_attested`` only when it is missing), so that the
    consistency and rules checks, which need a complete declaration, run before the user attests.
    """
    from itdeclare.models.validation import validate_declaration

    reading = read_form(form, today)
    document = {**reading.document, "attested": True}
    report = validate_declaration(document, ruleset, now)
    unreadable = {problem.loc for problem in reading.problems}
    found = reading.problems + [p for p in report.problems if p.loc not in unreadable]
    if not form.get("attested"):
        found.append(
            Problem("attested", "not_attested", {}, "Confirm that the declaration is true")
        )
    return found
