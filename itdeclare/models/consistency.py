"""Checks that relate fields to each other; each names the field the user must change.

They read ``partial.Facts``, so they also run on a declaration whose other fields are invalid;
a check whose fields are unknown (``None``) is skipped, since those fields have errors of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import pairwise

from itdeclare import i18n
from itdeclare.models import partial, reference
from itdeclare.models.declaration import Declaration
from itdeclare.models.enums import CHINESE_DOCUMENTS, DocumentType
from itdeclare.models.partial import Facts, Leg, Person
from itdeclare.models.problems import Problem

#: The longest a flight may last. The longest scheduled non-stop flights, Singapore to New York
#: (SQ23/SQ24, about 15,300 km), last about 19 hours; a day leaves margin for delays and
#: diversions. A leg that lasts longer is a date typed wrong; and since a certificate's validity
#: follows the arrival, a one-day trip typed to land years later would keep its code for years.
LONGEST_FLIGHT = timedelta(hours=24)


def check(declaration: Declaration) -> list[Problem]:
    return check_facts(partial.from_declaration(declaration))


def check_facts(facts: Facts) -> list[Problem]:
    return [
        *_document(facts),
        *_itinerary(facts),
        *_dates_after_birth(facts),
        *_dates_before_departure(facts),
    ]


def trip_ahead(facts: Facts, now: datetime) -> Iterator[Problem]:
    """A declaration is for a trip still ahead: the flight into China must not have left at
    ``now`` (the moment of submission, or of the check)."""
    leg = facts.entry_leg
    if leg is None or leg.departs_at is None or leg.departs_at > now:
        return
    departs = reference.local_time(leg.departs_at, leg.from_)
    yield Problem(
        f"itinerary.{len(facts.itinerary) - 1}.departs_at",
        "flight_departed",
        {"flight": leg.flight or "", "departure": departs},
    )


def _document(d: Facts) -> Iterator[Problem]:
    subject = d.subject
    nationality, document_type = subject.nationality, subject.document_type
    if nationality == "CHN" and document_type is DocumentType.FOREIGN_PASSPORT:
        yield Problem("subject.document.type", "chinese_document_required")
    if nationality not in (None, "CHN") and document_type in CHINESE_DOCUMENTS:
        yield Problem(
            "subject.nationality", "nationality_chinese_document", {"type": document_type}
        )
    if subject.id_card_number and nationality not in (None, "CHN"):
        yield Problem("subject.id_card_number", "id_card_requires_chinese_nationality")
    yield from _permit_and_id_number(subject)
    expires, entry = subject.document_expires_on, d.entry_leg
    if expires is not None and entry and entry.arrives_at and expires < entry.arrives_at.date():
        yield Problem("subject.document.expires_on", "document_expired", {"expires": expires})


def _permit_prefix(document_type: DocumentType | None, number: str | None) -> str | None:
    """The ID number prefix of the residence permit a permit holder may have: Hong Kong (H…)
    residents 81, Macao (M…) residents 82, Taiwan residents 83."""
    if document_type is DocumentType.TAIWAN_PERMIT:
        return "83"
    if document_type is DocumentType.HK_MACAO_PERMIT and number:
        return "82" if number.startswith("M") else "81"
    return None


def _permit_and_id_number(subject: Person) -> Iterator[Problem]:
    """Permits are issued to residents of Hong Kong, Macao and Taiwan, who hold no mainland ID
    card; the only ID-style number they can have is that of their mainland residence permit."""
    prefix = _permit_prefix(subject.document_type, subject.document_number)
    number = subject.id_card_number
    if prefix and number and not number.startswith(prefix):
        yield Problem(
            "subject.id_card_number",
            "id_card_permit_holder",
            {"type": subject.document_type, "prefix": prefix},
        )


def _local_offset(loc: str, airport: reference.Airport, moment: datetime) -> Iterator[Problem]:
    """A flight's time is written as the airport's clock shows it, at the airport's UTC offset."""
    local = reference.on_clock(moment, airport.zone)
    if local is not None:
        if local.utcoffset() != moment.utcoffset():
            yield Problem(loc, "time_zone_mismatch", {"airport": airport.iata, "expected": local})
        return
    # No clock there shows the time (it is past an end of the calendar, where no zone changes
    # its clocks for days): the airport's offset is the one its clock has at that time of day.
    offset = airport.zone.utcoffset(moment.replace(tzinfo=None))
    if offset != moment.utcoffset():
        params = {"airport": airport.iata, "offset": i18n.format_offset(offset)}
        yield Problem(loc, "time_zone_offset_mismatch", params)


def _leg(i: int, leg: Leg) -> Iterator[Problem]:
    where = f"itinerary.{i}"
    if leg.from_ is not None and leg.from_ == leg.to:
        yield Problem(f"{where}.to", "leg_same_airport", {"airport": leg.to})
    for field, code, moment in (
        ("departs_at", leg.from_, leg.departs_at),
        ("arrives_at", leg.to, leg.arrives_at),
    ):
        airport = reference.airport(code) if code else None
        if airport and moment:
            yield from _local_offset(f"{where}.{field}", airport, moment)
    if leg.arrives_at is None or leg.departs_at is None:
        return
    if leg.arrives_at <= leg.departs_at:
        yield Problem(f"{where}.arrives_at", "arrival_before_departure")
    elif leg.arrives_at - leg.departs_at > LONGEST_FLIGHT:
        yield Problem(
            f"{where}.arrives_at",
            "flight_too_long",
            {"hours": LONGEST_FLIGHT // timedelta(hours=1)},
        )


def _connects(arrival: str, departure: str) -> bool:
    """The next flight leaves from where the last one landed, or from another airport of that
    city (landing at Narita, leaving from Haneda)."""
    if arrival == departure:
        return True
    first, second = reference.airport(arrival), reference.airport(departure)
    return bool(first and second and first.city == second.city and first.country == second.country)


def _connections(legs: tuple[Leg, ...]) -> Iterator[Problem]:
    for i, (before, after) in enumerate(pairwise(legs), start=1):
        if before.to and after.from_ and not _connects(before.to, after.from_):
            yield Problem(f"itinerary.{i}.from", "leg_not_connected", {"expected": before.to})
        overlap = before.arrives_at and after.departs_at and after.departs_at < before.arrives_at
        if overlap and before.flight:  # the message names the flight; its own error comes first
            yield Problem(
                f"itinerary.{i}.departs_at",
                "leg_departs_before_arrival",
                {"flight": before.flight, "arrival": before.arrives_at},
            )


def _itinerary(d: Facts) -> Iterator[Problem]:
    for i, leg in enumerate(d.itinerary):
        yield from _leg(i, leg)
    yield from _connections(d.itinerary)
    for i, leg in enumerate(d.itinerary[:-1]):
        airport = reference.airport(leg.to) if leg.to else None
        if airport is not None and airport.country == "CHN":
            yield Problem(f"itinerary.{i}.to", "entry_before_last_leg", {"airport": leg.to})
    entry = d.entry_leg
    if entry is None or entry.to is None:
        return
    if entry.to not in reference.ports_of_entry():
        # The trip is declared up to China: the last leg, not the port, is what is wrong.
        last = len(d.itinerary) - 1
        yield Problem(f"itinerary.{last}.to", "entry_not_port", {"airport": entry.to})
    elif d.port_of_entry is not None and entry.to != d.port_of_entry:
        yield Problem("port_of_entry", "port_not_final_arrival", {"expected": entry.to})


def _dates_after_birth(d: Facts) -> Iterator[Problem]:
    born = d.subject.date_of_birth
    if born is None:
        return
    facts = {"birth": born}
    for i, vaccination in enumerate(d.vaccinations):
        if vaccination.date is not None and vaccination.date < born:
            yield Problem(f"vaccinations.{i}.date", "before_birth", facts)
    for i, entry in enumerate(d.history):
        if entry.date is not None and entry.date < born:
            yield Problem(f"history.{i}.date", "before_birth", facts)
    for i, test in enumerate(d.tests):
        if test.sampled_at is not None and test.sampled_at.date() < born:
            yield Problem(f"tests.{i}.sampled_at", "before_birth", facts)


def _dates_before_departure(d: Facts) -> Iterator[Problem]:
    """Vaccinations and earlier infections are history: none can come after the trip began."""
    leg = d.entry_leg
    if leg is None or leg.departs_at is None:
        return
    departs = reference.local_time(leg.departs_at, leg.from_)
    facts = {"flight": leg.flight or "", "departure": departs}
    day = departs.date()
    for i, vaccination in enumerate(d.vaccinations):
        if vaccination.date is not None and vaccination.date > day:
            yield Problem(f"vaccinations.{i}.date", "after_departure", facts)
    for i, entry in enumerate(d.history):
        if entry.date is not None and entry.date > day:
            yield Problem(f"history.{i}.date", "after_departure", facts)
        if entry.recovered_on is not None and entry.recovered_on > day:
            yield Problem(f"history.{i}.recovered_on", "after_departure", facts)
