"""Writing a :class:`~itdeclare.certificate.record.CertifiedRecord` as the record claim.

Nothing is stored twice, or at all when it follows from what is already there (see the
package's docstring); names and codes are packed (``packing``); times count minutes from the
time before them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from itdeclare.certificate import dcc, errors
from itdeclare.certificate.claim import keys
from itdeclare.certificate.claim.keys import Document, Dose, Episode, Holder, Leg, Record, Test
from itdeclare.certificate.claim.packing import CODE, HAN, LATIN, pack
from itdeclare.certificate.record import CertifiedRecord
from itdeclare.models import CHINESE_DOCUMENTS

if TYPE_CHECKING:  # annotations only: a verifier that reads codes never loads the models
    from itdeclare.models import FlightLeg, HistoryEntry, Vaccination

MINUTE = timedelta(minutes=1)
_HEX_ID = re.compile(r"(?:[0-9a-f]{2})+")


def array(values: Mapping[int, Any]) -> list[Any]:
    """The values at their keys' positions; absent ones null, trailing absent ones left off."""
    items: list[Any] = [None] * (max(values) + 1)
    for key, value in values.items():
        items[key] = value
    while items and items[-1] in (None, []):
        items.pop()
    return items


def _unless_same(value: Any, previous: Any) -> Any:
    return None if value == previous else value


def _days(value: date) -> int:
    return (value - keys.EPOCH).days


def _instant(moment: datetime, base: datetime) -> int | list[int]:
    """Whole minutes after ``base``; ``[seconds]`` or ``[seconds, microseconds]`` otherwise."""
    # in UTC: between two times of one ZoneInfo zone, Python subtracts wall-clock times
    delta = moment.astimezone(UTC) - base.astimezone(UTC)
    if delta % MINUTE == timedelta(0):
        return delta // MINUTE
    seconds, micro = divmod(delta // timedelta(microseconds=1), 1_000_000)
    return [seconds] if micro == 0 else [seconds, micro]


def offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    if offset is None or offset % MINUTE:
        raise errors.RecordNotEncodable(field="offset")
    return offset // MINUTE


def _airport_offset(airport_code: str, moment: datetime) -> int | None:
    """None when the airport's zone gives this offset anyway, else the offset in minutes."""
    from itdeclare.models import reference

    airport = reference.airport(airport_code)
    if airport is not None and moment.astimezone(airport.zone).utcoffset() == moment.utcoffset():
        return None
    return offset_minutes(moment)


def _reference(text: str) -> str | bytes:
    return bytes.fromhex(text) if _HEX_ID.fullmatch(text) else text


def _holder(record: CertifiedRecord) -> list[Any]:
    """The holder; when the code also carries an EU DCC, the Latin names stay text: the DCC
    has them as text too, and compression then stores them once."""
    holder, document = record.holder, record.document
    implied = document.type in CHINESE_DOCUMENTS and holder.nationality == keys.HOME_NATIONALITY
    chinese = holder.chinese_name
    name_alphabet = None if dcc.fits(record) else LATIN
    return array(
        {
            Holder.FAMILY_NAME: pack(holder.family_name, name_alphabet),
            Holder.GIVEN_NAME: pack(holder.given_name, name_alphabet),
            Holder.SEX: keys.SEXES.index(holder.sex),
            Holder.BIRTH: _days(holder.date_of_birth),
            Holder.CHINESE_NAME: None if chinese is None else pack(chinese, HAN),
            Holder.NATIONALITY: None if implied else pack(holder.nationality, LATIN),
        }
    )


def _document(record: CertifiedRecord) -> list[Any]:
    document = record.document
    return array(
        {
            Document.TYPE: keys.DOCUMENTS.index(document.type),
            Document.NUMBER: pack(document.number, CODE),
            Document.EXPIRES: None if document.expires_on is None else _days(document.expires_on),
        }
    )


def _legs(itinerary: Sequence[FlightLeg], base: datetime) -> list[list[Any]]:
    legs, previous_arrival, previous = [], None, base
    for leg in itinerary:
        origin = _unless_same(leg.from_, previous_arrival)
        legs.append(
            array(
                {
                    Leg.FLIGHT: pack(leg.flight, CODE),
                    Leg.FROM: None if origin is None else pack(origin, LATIN),
                    Leg.TO: pack(leg.to, LATIN),
                    Leg.DEPARTS: _instant(leg.departs_at, previous),
                    Leg.ARRIVES: _instant(leg.arrives_at, leg.departs_at),
                    Leg.DEPARTS_OFFSET: _airport_offset(leg.from_, leg.departs_at),
                    Leg.ARRIVES_OFFSET: _airport_offset(leg.to, leg.arrives_at),
                }
            )
        )
        previous_arrival, previous = leg.to, leg.arrives_at
    return legs


def first_test_offset(itinerary: Sequence[FlightLeg]) -> int | None:
    return offset_minutes(itinerary[-1].departs_at) if itinerary else None


def first_test_country(itinerary: Sequence[FlightLeg]) -> str | None:
    """Tests are taken in the country the flight into China leaves from (the rules say so)."""
    from itdeclare.models import reference

    airport = reference.airport(itinerary[-1].from_) if itinerary else None
    return None if airport is None else airport.country


def _tests(record: CertifiedRecord, base: datetime, places: list[str]) -> list[list[Any]]:
    tests = []
    offset, previous = first_test_offset(record.itinerary), base
    country = first_test_country(record.itinerary)
    for test in record.tests:
        if test.institution not in places:
            places.append(test.institution)
        this_offset = offset_minutes(test.sampled_at)
        changed_country = _unless_same(test.country, country)
        tests.append(
            array(
                {
                    Test.KIND_RESULT: keys.TEST_KINDS.index(test.kind) * 2
                    + keys.RESULTS.index(test.result),
                    Test.SAMPLED: _instant(test.sampled_at, previous),
                    Test.PLACE: places.index(test.institution),
                    Test.OFFSET: _unless_same(this_offset, offset),
                    Test.COUNTRY: None if changed_country is None else pack(test.country, LATIN),
                }
            )
        )
        offset, country, previous = this_offset, test.country, test.sampled_at
    return tests


def _vaccinations(vaccinations: Sequence[Vaccination], nationality: str) -> list[list[Any]]:
    result, country, previous = [], nationality, keys.EPOCH
    for dose in vaccinations:
        product = dose.product
        changed_country = _unless_same(dose.country, country)
        result.append(
            array(
                {
                    Dose.PRODUCT: keys.PRODUCTS.index(product)
                    if product in keys.PRODUCTS
                    else product,
                    Dose.DOSE: dose.dose,
                    Dose.OF: dose.of,
                    Dose.DAYS: (dose.date - previous).days,
                    Dose.COUNTRY: None if changed_country is None else pack(dose.country, LATIN),
                }
            )
        )
        country, previous = dose.country, dose.date
    return result


def _episode(entry: HistoryEntry) -> list[Any]:
    recovered = entry.recovered_on
    return array(
        {
            Episode.KIND: keys.HISTORY_KINDS.index(entry.kind),
            Episode.DATE: _days(entry.date),
            Episode.RECOVERED: None if recovered is None else (recovered - entry.date).days,
        }
    )


def encode(record: CertifiedRecord, issued_at: int) -> list[Any]:
    """The claim value for ``record`` in a certificate issued at ``issued_at`` (epoch seconds)."""
    base = datetime.fromtimestamp(issued_at, UTC)
    places: list[str] = []
    last_arrival = record.itinerary[-1].to if record.itinerary else None
    tests = _tests(record, base, places)
    port = _unless_same(record.port_of_entry, last_arrival)
    return array(
        {
            Record.VERSION: keys.VERSION,
            Record.KIND: keys.KINDS.index(record.kind),
            Record.REFERENCE: _reference(record.reference),
            Record.HOLDER: _holder(record),
            Record.DOCUMENT: _document(record),
            Record.PORT: None if port is None else pack(port, LATIN),
            Record.LEGS: _legs(record.itinerary, base),
            Record.TESTS: tests,
            Record.VACCINATIONS: _vaccinations(record.vaccinations, record.holder.nationality),
            Record.HISTORY: [_episode(entry) for entry in record.history],
            Record.PLACES: places,
        }
    )
