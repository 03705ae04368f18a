"""The compact CBOR encoding of a :class:`~itdeclare.certificate.record.CertifiedRecord`.

The QR code must scan from a phone screen and a printed page, so the record is a positional
CBOR array, not a map of names, and nothing in it is stored twice or stored at all when it
follows from what is already there:

``[1, kind, reference, holder, document, port, legs, tests, vaccinations, history, places]``

- ``1`` is the format version; ``kind`` 0 declaration, 1 outbound; ``reference`` the declaration
  id or outbound serial (lower-case hex, like the backend's ids, travels as its bytes).
- ``holder`` = ``[family, given, sex, birth, chinese?, nationality?]``; the nationality is left
  out when it is CHN and the document Chinese. ``document`` = ``[type, number, expires?]``.
- ``port`` is null when it is the arrival airport of the last leg.
- a leg = ``[flight, from?, to, departs, arrives, departs_offset?, arrives_offset?]``; ``from``
  is null when the leg leaves from where the previous one arrived; ``departs`` counts from the
  previous leg's arrival (the first from iat), ``arrives`` from the departure. A leg's UTC
  offsets are the airports' own at that instant, stored (in minutes) only when they differ.
- a test = ``[kind * 2 + result, sampled, place, offset?, country?]``: ``sampled`` counts from
  the previous test's sampling (the first from iat); ``place`` indexes ``places``, the distinct
  testing institutions; offset and country are null when the same as the previous test's (for
  the first test: the departure offset and country of the flight into China, where the rules
  say tests are taken).
- a vaccination = ``[product, dose, of, days, country?]``: ``product`` is an index into
  :data:`PRODUCTS` or the product code itself; ``days`` counts from the previous dose (the
  first from 1970-01-01); ``country`` is null when the same as the previous dose's (for the
  first: the holder's nationality). A history
  entry = ``[kind, date, recovered?]``, ``recovered`` in days after ``date``.
- dates are days since 1970-01-01; instants are whole minutes (since iat, or since the
  previous instant where said above), or ``[seconds]`` / ``[seconds, microseconds]`` when not
  a whole minute.
- enumerations are small integers (tables below; new values are only ever appended). Trailing
  empty or absent fields are left off.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from itdeclare.certificate import errors
from itdeclare.certificate.record import CertifiedRecord, Holder, RecordKind, certificate_id
from itdeclare.models import (
    CHINESE_DOCUMENTS,
    DocumentType,
    FlightLeg,
    HistoryEntry,
    HistoryKind,
    IdentityDocument,
    LabResult,
    LabTest,
    LabTestKind,
    Sex,
    Vaccination,
)

VERSION = 1
KINDS = (RecordKind.DECLARATION, RecordKind.OUTBOUND)
SEXES = (Sex.MALE, Sex.FEMALE, Sex.OTHER)
DOCUMENTS = (
    DocumentType.PASSPORT,
    DocumentType.DIPLOMATIC_PASSPORT,
    DocumentType.SERVICE_PASSPORT,
    DocumentType.PUBLIC_AFFAIRS_PASSPORT,
    DocumentType.TRAVEL_DOCUMENT,
    DocumentType.HK_MACAO_PERMIT,
    DocumentType.TAIWAN_PERMIT,
    DocumentType.FOREIGN_PASSPORT,
    DocumentType.OTHER,
)
TEST_KINDS = (LabTestKind.NUCLEIC_ACID, LabTestKind.IGM, LabTestKind.IGG)
RESULTS = (LabResult.NEGATIVE, LabResult.POSITIVE)
HISTORY_KINDS = (HistoryKind.POSITIVE_TEST, HistoryKind.DIAGNOSIS)
#: Vaccine products by index (EU DCC medicinal-product codes); others travel as text.
PRODUCTS = (
    "BBIBP-CorV",
    "WIBP-CorV",
    "CoronaVac",
    "Convidecia",
    "EU/1/20/1528",
    "EU/1/20/1507",
    "EU/1/21/1529",
    "EU/1/20/1525",
    "EU/1/21/1618",
    "Covishield",
    "Covaxin",
    "Sputnik-V",
    "NVSI-06-08",
    "SCTV01C",
)
HOME_NATIONALITY = "CHN"

EPOCH = date(1970, 1, 1)
_MINUTE = timedelta(minutes=1)
_HEX_ID = re.compile(r"(?:[0-9a-f]{2})+")


def _trim(items: list[Any]) -> list[Any]:
    while items and items[-1] in (None, []):
        items.pop()
    return items


def _unless_same(value: Any, previous: Any) -> Any:
    return None if value == previous else value


# --- encoding --------------------------------------------------------------------------------


def _days(value: date) -> int:
    return (value - EPOCH).days


def _optional_days(value: date | None) -> int | None:
    return None if value is None else _days(value)


def _instant(moment: datetime, base: datetime) -> int | list[int]:
    # in UTC: between two times of one ZoneInfo zone, Python subtracts wall-clock times
    delta = moment.astimezone(UTC) - base.astimezone(UTC)
    if delta % _MINUTE == timedelta(0):
        return delta // _MINUTE
    seconds, micro = divmod(delta // timedelta(microseconds=1), 1_000_000)
    return [seconds] if micro == 0 else [seconds, micro]


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    if offset is None or offset % _MINUTE:
        raise errors.RecordNotEncodable(field="offset")
    return offset // _MINUTE


def _airport_offset(airport_code: str, moment: datetime) -> int | None:
    """None when the airport's zone gives this offset anyway, else the offset in minutes."""
    from itdeclare.models import reference

    airport = reference.airport(airport_code)
    if airport is not None and moment.astimezone(airport.zone).utcoffset() == moment.utcoffset():
        return None
    return _offset_minutes(moment)


def _reference(text: str) -> str | bytes:
    return bytes.fromhex(text) if _HEX_ID.fullmatch(text) else text


def _holder_items(holder: Holder, document: IdentityDocument) -> list[Any]:
    implied = document.type in CHINESE_DOCUMENTS and holder.nationality == HOME_NATIONALITY
    return _trim(
        [
            holder.family_name,
            holder.given_name,
            SEXES.index(holder.sex),
            _days(holder.date_of_birth),
            holder.chinese_name,
            None if implied else holder.nationality,
        ]
    )


def _legs(itinerary: Sequence[FlightLeg], base: datetime) -> list[list[Any]]:
    legs, previous_arrival, previous = [], None, base
    for leg in itinerary:
        legs.append(
            _trim(
                [
                    leg.flight,
                    _unless_same(leg.from_, previous_arrival),
                    leg.to,
                    _instant(leg.departs_at, previous),
                    _instant(leg.arrives_at, leg.departs_at),
                    _airport_offset(leg.from_, leg.departs_at),
                    _airport_offset(leg.to, leg.arrives_at),
                ]
            )
        )
        previous_arrival, previous = leg.to, leg.arrives_at
    return legs


def _first_test_offset(itinerary: Sequence[FlightLeg]) -> int | None:
    return _offset_minutes(itinerary[-1].departs_at) if itinerary else None


def _first_test_country(itinerary: Sequence[FlightLeg]) -> str | None:
    """Tests are taken in the country the flight into China leaves from (the rules say so)."""
    from itdeclare.models import reference

    airport = reference.airport(itinerary[-1].from_) if itinerary else None
    return None if airport is None else airport.country


def _tests(record: CertifiedRecord, base: datetime, places: list[str]) -> list[list[Any]]:
    tests = []
    offset, previous = _first_test_offset(record.itinerary), base
    country = _first_test_country(record.itinerary)
    for test in record.tests:
        if test.institution not in places:
            places.append(test.institution)
        this_offset = _offset_minutes(test.sampled_at)
        tests.append(
            _trim(
                [
                    TEST_KINDS.index(test.kind) * 2 + RESULTS.index(test.result),
                    _instant(test.sampled_at, previous),
                    places.index(test.institution),
                    _unless_same(this_offset, offset),
                    _unless_same(test.country, country),
                ]
            )
        )
        offset, country, previous = this_offset, test.country, test.sampled_at
    return tests


def _vaccinations(vaccinations: Sequence[Vaccination], nationality: str) -> list[list[Any]]:
    result, country, previous = [], nationality, EPOCH
    for dose in vaccinations:
        product = PRODUCTS.index(dose.product) if dose.product in PRODUCTS else dose.product
        days = (dose.date - previous).days
        result.append(
            _trim([product, dose.dose, dose.of, days, _unless_same(dose.country, country)])
        )
        country, previous = dose.country, dose.date
    return result


def _history_items(entry: HistoryEntry) -> list[Any]:
    recovered = entry.recovered_on
    return _trim(
        [
            HISTORY_KINDS.index(entry.kind),
            _days(entry.date),
            None if recovered is None else (recovered - entry.date).days,
        ]
    )


def encode(record: CertifiedRecord, issued_at: int) -> list[Any]:
    """The claim value for ``record`` in a certificate issued at ``issued_at`` (epoch seconds)."""
    base = datetime.fromtimestamp(issued_at, UTC)
    document = record.document
    places: list[str] = []
    last_arrival = record.itinerary[-1].to if record.itinerary else None
    tests = _tests(record, base, places)
    return _trim(
        [
            VERSION,
            KINDS.index(record.kind),
            _reference(record.reference),
            _holder_items(record.holder, document),
            _trim(
                [
                    DOCUMENTS.index(document.type),
                    document.number,
                    _optional_days(document.expires_on),
                ]
            ),
            _unless_same(record.port_of_entry, last_arrival),
            _legs(record.itinerary, base),
            tests,
            _vaccinations(record.vaccinations, record.holder.nationality),
            [_history_items(entry) for entry in record.history],
            places,
        ]
    )


# --- decoding --------------------------------------------------------------------------------


class _Malformed(ValueError):
    pass


def _field(items: Sequence[Any], index: int, kind: type | tuple[type, ...]) -> Any:
    value = items[index] if index < len(items) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _Malformed(index)
    return value


def _optional(items: Sequence[Any], index: int, kind: type | tuple[type, ...]) -> Any:
    if index >= len(items) or items[index] is None:
        return None
    return _field(items, index, kind)


def _list(items: Sequence[Any], index: int) -> list[Any]:
    value = _optional(items, index, list)
    return [] if value is None else value


def _entries(items: Sequence[Any], index: int) -> list[list[Any]]:
    entries = _list(items, index)
    if not all(isinstance(entry, list) for entry in entries):
        raise _Malformed(index)
    return entries


def _code(table: Sequence[Any], items: Sequence[Any], index: int) -> Any:
    value = _field(items, index, int)
    if not 0 <= value < len(table):
        raise _Malformed(index)
    return table[value]


def _date(items: Sequence[Any], index: int) -> date:
    return EPOCH + timedelta(days=_field(items, index, int))


def _optional_date(items: Sequence[Any], index: int) -> date | None:
    return None if _optional(items, index, int) is None else _date(items, index)


def _delta(value: Any) -> timedelta:
    if isinstance(value, int) and not isinstance(value, bool):
        return value * _MINUTE
    if isinstance(value, list) and 1 <= len(value) <= 2 and all(isinstance(v, int) for v in value):
        return timedelta(seconds=value[0], microseconds=value[1] if len(value) == 2 else 0)
    raise _Malformed("instant")


def _zone(offset_minutes: int) -> timezone:
    return timezone(offset_minutes * _MINUTE)


def _after(base: datetime, value: Any) -> datetime:
    """``base`` plus a stored delta, in UTC (wall-clock arithmetic would skip DST changes)."""
    return base.astimezone(UTC) + _delta(value)


def _leg_moment(leg: list[Any], index: int, airport_code: str, base: datetime) -> datetime:
    moment = _after(base, leg[index] if index < len(leg) else None)
    explicit = _optional(leg, index + 2, int)
    if explicit is not None:
        return moment.astimezone(_zone(explicit))
    from itdeclare.models import reference

    airport = reference.airport(airport_code)
    if airport is None:
        raise _Malformed("offset")
    return moment.astimezone(airport.zone)


def _holder(items: list[Any], document: IdentityDocument) -> Holder:
    nationality = _optional(items, 5, str)
    if nationality is None:
        if document.type not in CHINESE_DOCUMENTS:
            raise _Malformed("nationality")
        nationality = HOME_NATIONALITY
    return Holder(
        family_name=_field(items, 0, str),
        given_name=_field(items, 1, str),
        sex=_code(SEXES, items, 2),
        date_of_birth=_date(items, 3),
        nationality=nationality,
        chinese_name=_optional(items, 4, str),
    )


def _document(items: list[Any]) -> IdentityDocument:
    return IdentityDocument.model_construct(
        type=_code(DOCUMENTS, items, 0),
        number=_field(items, 1, str),
        expires_on=_optional_date(items, 2),
    )


def _decode_legs(entries: list[list[Any]], base: datetime) -> tuple[FlightLeg, ...]:
    legs: list[FlightLeg] = []
    for items in entries:
        origin = _optional(items, 1, str) or (legs[-1].to if legs else None)
        if origin is None:
            raise _Malformed("from")
        destination = _field(items, 2, str)
        departs = _leg_moment(items, 3, origin, legs[-1].arrives_at if legs else base)
        legs.append(
            FlightLeg.model_construct(
                flight=_field(items, 0, str),
                from_=origin,
                to=destination,
                departs_at=departs,
                arrives_at=_leg_moment(items, 4, destination, departs),
            )
        )
    return tuple(legs)


def _decode_tests(
    entries: list[list[Any]], base: datetime, places: list[Any], legs: tuple[FlightLeg, ...]
) -> tuple[LabTest, ...]:
    tests: list[LabTest] = []
    offset, country, previous = _first_test_offset(legs), _first_test_country(legs), base
    for items in entries:
        kind_result = _field(items, 0, int)
        place = _field(items, 2, int)
        if not 0 <= kind_result < 2 * len(TEST_KINDS) or not 0 <= place < len(places):
            raise _Malformed("test")
        offset = _optional(items, 3, int) if len(items) > 3 and items[3] is not None else offset
        country = _optional(items, 4, str) or country
        if offset is None or country is None or not isinstance(places[place], str):
            raise _Malformed("test")
        sampled = _after(previous, items[1] if len(items) > 1 else None).astimezone(_zone(offset))
        tests.append(
            LabTest.model_construct(
                kind=TEST_KINDS[kind_result // 2],
                result=RESULTS[kind_result % 2],
                sampled_at=sampled,
                institution=places[place],
                country=country,
            )
        )
        previous = sampled
    return tuple(tests)


def _decode_vaccinations(entries: list[list[Any]], nationality: str) -> tuple[Vaccination, ...]:
    doses: list[Vaccination] = []
    country, previous = nationality, EPOCH
    for items in entries:
        product = _field(items, 0, (int, str))
        if isinstance(product, int):
            product = _code(PRODUCTS, items, 0)
        country = _optional(items, 4, str) or country
        doses.append(
            Vaccination.model_construct(
                product=product,
                dose=_field(items, 1, int),
                of=_field(items, 2, int),
                date=previous + timedelta(days=_field(items, 3, int)),
                country=country,
            )
        )
        previous = doses[-1].date
    return tuple(doses)


def _history(items: list[Any]) -> HistoryEntry:
    onset = _date(items, 1)
    recovered = _optional(items, 2, int)
    return HistoryEntry.model_construct(
        kind=_code(HISTORY_KINDS, items, 0),
        date=onset,
        recovered_on=None if recovered is None else onset + timedelta(days=recovered),
    )


def _decoded_reference(value: Any) -> str:
    if isinstance(value, bytes) and value:
        return value.hex()
    if isinstance(value, str):
        return value
    raise _Malformed("reference")


def decode(value: Any, issued_at: float) -> CertifiedRecord:
    """The record in a claim value, or :class:`errors.SchemaInvalid` if it is malformed."""
    base = datetime.fromtimestamp(int(issued_at), UTC)
    try:
        check_shape(value)
        document = _document(_field(value, 4, list))
        legs = _decode_legs(_entries(value, 6), base)
        port = _optional(value, 5, str) or (legs[-1].to if legs else None)
        holder = _holder(_field(value, 3, list), document)
        return CertifiedRecord(
            kind=_code(KINDS, value, 1),
            reference=_decoded_reference(value[2]),
            holder=holder,
            document=document,
            port_of_entry=port,
            itinerary=legs,
            tests=_decode_tests(_entries(value, 7), base, _list(value, 10), legs),
            vaccinations=_decode_vaccinations(_entries(value, 8), holder.nationality),
            history=tuple(_history(items) for items in _entries(value, 9)),
        )
    except (_Malformed, OverflowError, ValueError) as exc:
        raise errors.SchemaInvalid(reason=f"record: {exc}") from None


def check_shape(value: Any) -> None:
    """The cheap part of :func:`decode`, for every scan: version, kind, reference, holder and
    document present with the right types. The signature vouches for the rest."""
    try:
        if not isinstance(value, list) or not value or value[0] != VERSION:
            raise _Malformed("version")
        _code(KINDS, value, 1)
        _decoded_reference(value[2] if len(value) > 2 else None)
        _field(value, 3, list)
        _field(value, 4, list)
    except _Malformed as exc:
        raise errors.SchemaInvalid(reason=f"record: {exc}") from None


def certificate_id_of(value: Any) -> str | None:
    """The certificate identifier of a record claim, without decoding the rest of it."""
    try:
        kind = _code(KINDS, value, 1)
        return certificate_id(_decoded_reference(value[2]), kind)
    except (_Malformed, TypeError, IndexError, KeyError):
        return None
