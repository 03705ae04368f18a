"""Warnings: the common reasons a consulate rejects a declaration that the rules cannot decide.

A declaration that trips one is still valid, and may well be right (a national of China may
have no Chinese name); the warning says what the consulate will look for, so the traveller can
check before submitting. Which warnings exist, their thresholds and their texts are data beside
the rules (``RuleSet.warnings``); this module holds one check per code, and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from itdeclare.models import reference
from itdeclare.models.enums import HistoryKind
from itdeclare.models.partial import Facts, Leg
from itdeclare.models.rules import RuleSet, days_before


@dataclass(frozen=True, slots=True)
class Caution:
    """One warning: where (a dotted location into the declaration file, as errors use), its
    stable code, the facts its text needs, and the text's templates by language."""

    loc: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    texts: Mapping[Literal["en", "zh"], str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CertificateHolder:
    """Who an imported test certificate names (DCC ``nam.fnt``, ``nam.gnt`` and ``dob``; the
    date may be partial, ``1964-08`` or ``1964``, as the DCC allows)."""

    family_name: str
    given_name: str
    date_of_birth: str


def cautions_for(
    facts: Facts, ruleset: RuleSet, holders: Mapping[int, CertificateHolder] | None = None
) -> list[Caution]:
    """Every warning the rules' data asks for that ``facts`` trip, in the data's order.

    ``holders`` gives, by the index of a test, who its imported certificate names.
    """
    found = []
    context = _Context(facts, holders or {})
    for spec in ruleset.warnings:
        check = _CHECKS.get(spec.code)
        if check is None:  # a check from newer rules than this code knows
            continue
        for loc, params in check(context, spec.params):
            found.append(Caution(loc, spec.code, params, dict(spec.message)))
    return found


Found = Iterator[tuple[str, dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class _Context:
    facts: Facts
    holders: Mapping[int, CertificateHolder]

    @property
    def entry_leg(self) -> Leg | None:
        return self.facts.entry_leg

    def local(self, moment: dt.datetime | None, iata: str | None) -> dt.date | None:
        """A moment's date at an airport (at the moment's own offset when the airport is unknown
        or its clock cannot show it)."""
        return None if moment is None else reference.local_time(moment, iata).date()

    def departure_day(self) -> dt.date | None:
        leg = self.entry_leg
        return self.local(leg.departs_at, leg.from_) if leg else None

    def arrival_day(self) -> dt.date | None:
        leg = self.entry_leg
        if leg is None:
            return None
        return self.local(leg.arrives_at, leg.to) or self.departure_day()


def _chinese_name_missing(context: _Context, params: Mapping[str, Any]) -> Found:
    person = context.facts.subject
    if person.nationality == "CHN" and not person.chinese_name:
        yield "subject.chinese_name", {}


def _permit_not_declared(context: _Context, params: Mapping[str, Any]) -> Found:
    residence = context.facts.residence_country
    document = context.facts.subject.document_type
    if residence in params.get("residence_countries", ()) and document in params.get(
        "document_types", ()
    ):
        yield "subject.document.type", {"residence": _named(residence)}


def _test_holder_differs(context: _Context, params: Mapping[str, Any]) -> Found:
    person = context.facts.subject
    for index, holder in sorted(context.holders.items()):
        name_differs = person.family_name is not None and (
            _letters(holder.family_name) != _letters(person.family_name)
            or _letters(holder.given_name) != _letters(person.given_name or "")
        )
        born = person.date_of_birth.isoformat() if person.date_of_birth else None
        birth_differs = born is not None and not born.startswith(holder.date_of_birth)
        if name_differs or birth_differs:
            yield (
                f"tests.{index}",
                {
                    "number": index + 1,
                    "holder": f"{holder.family_name} {holder.given_name}".strip(),
                    "holder_birth": holder.date_of_birth or "-",
                },
            )


def _letters(name: str) -> str:
    """A name as the DCC standardises it (ICAO 9303): upper-case letters only."""
    return "".join(char for char in name.upper() if char.isalpha())


def _test_in_transit_country(context: _Context, params: Mapping[str, Any]) -> Found:
    legs = context.facts.itinerary
    origin = _country_of(legs[0].from_) if legs else None
    transit = {_country_of(leg.from_) for leg in legs[1:]} - {
        None,
        origin,
        context.facts.residence_country,
        "CHN",
    }
    for index, test in enumerate(context.facts.tests):
        if test.country in transit:
            yield f"tests.{index}.country", {"number": index + 1, "country": _named(test.country)}


def _named(alpha3: str | None) -> reference.Country | str:
    """A country as its texts name it (the code itself if it is not a known country)."""
    return (reference.country(alpha3) if alpha3 else None) or alpha3 or ""


def _country_of(iata: str | None) -> str | None:
    airport = reference.airport(iata) if iata else None
    return airport.country if airport else None


def _passport_expires_soon(context: _Context, params: Mapping[str, Any]) -> Found:
    expires = context.facts.subject.document_expires_on
    arrival = context.arrival_day()
    months = int(params.get("months", 6))
    if expires is None or arrival is None:
        return
    needed = _add_months(arrival, months)
    if expires < needed:
        yield "subject.document.expires_on", {"expires": expires, "months": months}


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or the month's last day), or the calendar's end when that
    is past it: an arrival dated in year 9999 (a slip of the keyboard) still gets its answer."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    for last in (31, 30, 29, 28):  # the same day of the month, or the month's last day
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def _diagnosis_without_recovery(context: _Context, params: Mapping[str, Any]) -> Found:
    for index, entry in enumerate(context.facts.history):
        if entry.kind is HistoryKind.DIAGNOSIS and entry.date and entry.recovered_on is None:
            yield f"history.{index}.recovered_on", {"number": index + 1, "date": entry.date}


def _recent_positive_test(context: _Context, params: Mapping[str, Any]) -> Found:
    departure = context.departure_day()
    days = int(params.get("days", 14))
    if departure is None:
        return
    earliest = days_before(departure, days)
    for index, entry in enumerate(context.facts.history):
        day = entry.date
        if entry.kind is HistoryKind.POSITIVE_TEST and day and earliest <= day <= departure:
            yield f"history.{index}.date", {"number": index + 1, "date": day, "days": days}


_CHECKS: dict[str, Callable[[_Context, Mapping[str, Any]], Found]] = {
    "chinese_name_missing": _chinese_name_missing,
    "permit_not_declared": _permit_not_declared,
    "test_holder_differs": _test_holder_differs,
    "test_in_transit_country": _test_in_transit_country,
    "passport_expires_soon": _passport_expires_soon,
    "diagnosis_without_recovery": _diagnosis_without_recovery,
    "recent_positive_test": _recent_positive_test,
}

#: The codes this version can check; the rules' data may name only these (a test holds it to it).
KNOWN_CODES = frozenset(_CHECKS)
