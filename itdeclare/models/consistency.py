"""Checks that relate fields to each other; each names the field the user must change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import pairwise

from itdeclare.models import reference
from itdeclare.models.declaration import Declaration
from itdeclare.models.enums import CHINESE_DOCUMENTS, DocumentType
from itdeclare.models.itinerary import FlightLeg
from itdeclare.models.problems import Problem


def check(declaration: Declaration) -> list[Problem]:
    return [
        *_document(declaration),
        *_itinerary(declaration),
        *_dates_after_birth(declaration),
        *_dates_before_departure(declaration),
    ]


def _document(d: Declaration) -> Iterator[Problem]:
    subject = d.subject
    if subject.nationality == "CHN" and subject.document.type is DocumentType.FOREIGN_PASSPORT:
        yield Problem("subject.document.type", "chinese_document_required")
    if subject.nationality != "CHN" and subject.document.type in CHINESE_DOCUMENTS:
        yield Problem(
            "subject.nationality", "nationality_chinese_document", {"type": subject.document.type}
        )
    if subject.id_card_number and subject.nationality != "CHN":
        yield Problem("subject.id_card_number", "id_card_requires_chinese_nationality")
    expires = subject.document.expires_on
    if expires is not None and expires < d.entry_leg.arrives_at.date():
        yield Problem("subject.document.expires_on", "document_expired", {"expires": expires})


def _offset_matches(airport_code: str, moment: datetime) -> bool:
    airport = reference.airport(airport_code)
    if airport is None:
        return True
    return moment.utcoffset() == moment.astimezone(airport.zone).utcoffset()


def _leg(i: int, leg: FlightLeg) -> Iterator[Problem]:
    where = f"itinerary.{i}"
    if leg.from_ == leg.to:
        yield Problem(f"{where}.to", "leg_same_airport", {"airport": leg.to})
    for field, code, moment in (
        ("departs_at", leg.from_, leg.departs_at),
        ("arrives_at", leg.to, leg.arrives_at),
    ):
        if not _offset_matches(code, moment):
            airport = reference.airport(code)
            assert airport is not None
            local = moment.astimezone(airport.zone)
            yield Problem(
                f"{where}.{field}", "time_zone_mismatch", {"airport": code, "expected": local}
            )
    if leg.arrives_at <= leg.departs_at:
        yield Problem(f"{where}.arrives_at", "arrival_before_departure")


def _same_city(a: str, b: str) -> bool:
    first, second = reference.airport(a), reference.airport(b)
    return bool(first and second and first.city == second.city and first.country == second.country)


def _connections(legs: list[FlightLeg]) -> Iterator[Problem]:
    for i, (before, after) in enumerate(pairwise(legs), start=1):
        if after.from_ != before.to and not _same_city(after.from_, before.to):
            yield Problem(f"itinerary.{i}.from", "leg_not_connected", {"expected": before.to})
        if after.departs_at < before.arrives_at:
            yield Problem(
                f"itinerary.{i}.departs_at",
                "leg_departs_before_arrival",
                {"flight": before.flight, "arrival": before.arrives_at},
            )


def _itinerary(d: Declaration) -> Iterator[Problem]:
    for i, leg in enumerate(d.itinerary):
        yield from _leg(i, leg)
    yield from _connections(d.itinerary)
    for i, leg in enumerate(d.itinerary[:-1]):
        airport = reference.airport(leg.to)
        if airport is not None and airport.country == "CHN":
            yield Problem(f"itinerary.{i}.to", "entry_before_last_leg", {"airport": leg.to})
    last = len(d.itinerary) - 1
    if d.entry_leg.to not in reference.ports_of_entry():
        # The trip is declared up to China: the last leg, not the port, is what is wrong.
        yield Problem(f"itinerary.{last}.to", "entry_not_port", {"airport": d.entry_leg.to})
    elif d.entry_leg.to != d.port_of_entry:
        yield Problem("port_of_entry", "port_not_final_arrival", {"expected": d.entry_leg.to})


def _dates_after_birth(d: Declaration) -> Iterator[Problem]:
    born = d.subject.date_of_birth
    for i, vaccination in enumerate(d.vaccinations):
        if vaccination.date < born:
            yield Problem(f"vaccinations.{i}.date", "before_birth", {"birth": born})
    for i, entry in enumerate(d.history):
        if entry.date < born:
            yield Problem(f"history.{i}.date", "before_birth", {"birth": born})
    for i, test in enumerate(d.tests):
        if test.sampled_at.date() < born:
            yield Problem(f"tests.{i}.sampled_at", "before_birth", {"birth": born})


def _dates_before_departure(d: Declaration) -> Iterator[Problem]:
    """Vaccinations and earlier infections are history: none can come after the trip began."""
    leg = d.entry_leg
    airport = reference.airport(leg.from_)
    departs = leg.departs_at.astimezone(airport.zone) if airport else leg.departs_at
    facts = {"flight": leg.flight, "departure": departs}
    for i, vaccination in enumerate(d.vaccinations):
        if vaccination.date > departs.date():
            yield Problem(f"vaccinations.{i}.date", "after_departure", facts)
    for i, entry in enumerate(d.history):
        if entry.date > departs.date():
            yield Problem(f"history.{i}.date", "after_departure", facts)
        if entry.recovered_on is not None and entry.recovered_on > departs.date():
            yield Problem(f"history.{i}.recovered_on", "after_departure", facts)
