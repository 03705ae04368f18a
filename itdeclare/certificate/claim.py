"""The compact CBOR encoding of a :class:`~itdeclare.certificate.record.CertifiedRecord`.

The QR code must scan from a phone screen and a printed page, so the record is a positional
CBOR array, not a map of names, and nothing in it can be derived from something else:

``[1, kind, reference, holder, document, port, legs, tests, vaccinations, history, places]``

- ``1`` is the format version; ``kind`` 0 declaration, 1 outbound; ``reference`` the declaration
  id or outbound serial (a UUID in canonical form travels as its 16 bytes).
- ``holder`` = ``[family, given, sex, birth, nationality, chinese?]``;
  ``document`` = ``[type, number, expires?]``.
- a leg = ``[flight, from, to, departs, arrives, departs_offset?, arrives_offset?]``; a test =
  ``[kind, result, sampled, offset, place, country]``; a vaccination = ``[product, dose, of,
  date, country]``; a history entry = ``[kind, date, recovered?]``.
- dates are days since 1970-01-01; instants are whole minutes since the CWT's iat, or
  ``[seconds]`` / ``[seconds, microseconds]`` when not a whole minute. A leg's UTC offset is
  the airport's own at that instant and is stored (in minutes) only when it differs; a test's
  offset is always stored. ``place`` indexes ``places``, the distinct testing institutions.
- enumerations are small integers (tables below; new values are only ever appended). Trailing
  empty or absent fields are left off.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from itdeclare.certificate import errors
from itdeclare.certificate.record import CertifiedRecord, Holder, RecordKind, certificate_id
from itdeclare.models import (
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

EPOCH = date(1970, 1, 1)
_MINUTE = timedelta(minutes=1)


def _trim(items: list[Any]) -> list[Any]:
    while items and items[-1] in (None, []):
        items.pop()
    return items


# --- encoding --------------------------------------------------------------------------------


def _days(value: date) -> int:
    return (value - EPOCH).days


def _instant(moment: datetime, base: datetime) -> int | list[int]:
    delta = moment - base
    if delta % _MINUTE == timedelta(0):
        return delta // _MINUTE
    seconds, micro = divmod(delta // timedelta(microseconds=1), 1_000_000)
    return [seconds] if micro == 0 else [seconds, micro]


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    if offset is None or offset % _MINUTE:
        raise errors.RecordNotEncodable(field="offset")
    return offset // _MINUTE


def _implied_offset(airport_code: str, moment: datetime) -> int | None:
    """None when the airport's zone gives this offset anyway, else the offset in minutes."""
    from itdeclare.models import reference

    airport = reference.airport(airport_code)
    if airport is not None and moment.astimezone(airport.zone).utcoffset() == moment.utcoffset():
        return None
    return _offset_minutes(moment)


def _reference(text: str) -> str | bytes:
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        return text
    return parsed.bytes if str(parsed) == text else text


def encode(record: CertifiedRecord, issued_at: int) -> list[Any]:
    """The claim value for ``record`` in a certificate issued at ``issued_at`` (epoch seconds)."""
    base = datetime.fromtimestamp(issued_at, UTC)
    holder, document = record.holder, record.document
    places: list[str] = []

    def place(name: str) -> int:
        if name not in places:
            places.append(name)
        return places.index(name)

    legs = [
        _trim(
            [
                leg.flight,
                leg.from_,
                leg.to,
                _instant(leg.departs_at, base),
                _instant(leg.arrives_at, base),
                _implied_offset(leg.from_, leg.departs_at),
                _implied_offset(leg.to, leg.arrives_at),
            ]
        )
        for leg in record.itinerary
    ]
    tests = [
        [
            TEST_KINDS.index(test.kind),
            RESULTS.index(test.result),
            _instant(test.sampled_at, base),
            _offset_minutes(test.sampled_at),
            place(test.institution),
            test.country,
        ]
        for test in record.tests
    ]
    vaccinations = [
        [v.product, v.dose, v.of, _days(v.date), v.country] for v in record.vaccinations
    ]
    history = [
        _trim([HISTORY_KINDS.index(h.kind), _days(h.date), _optional_days(h.recovered_on)])
        for h in record.history
    ]
    return _trim(
        [
            VERSION,
            KINDS.index(record.kind),
            _reference(record.reference),
            _trim(
                [
                    holder.family_name,
                    holder.given_name,
                    SEXES.index(holder.sex),
                    _days(holder.date_of_birth),
                    holder.nationality,
                    holder.chinese_name,
                ]
            ),
            _trim(
                [
                    DOCUMENTS.index(document.type),
                    document.number,
                    _optional_days(document.expires_on),
                ]
            ),
            record.port_of_entry,
            legs,
            tests,
            vaccinations,
            history,
            places,
        ]
    )


def _optional_days(value: date | None) -> int | None:
    return None if value is None else _days(value)


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


def _code(table: Sequence[Any], items: Sequence[Any], index: int) -> Any:
    value = _field(items, index, int)
    if not 0 <= value < len(table):
        raise _Malformed(index)
    return table[value]


def _date(items: Sequence[Any], index: int) -> date:
    return EPOCH + timedelta(days=_field(items, index, int))


def _optional_date(items: Sequence[Any], index: int) -> date | None:
    return None if _optional(items, index, int) is None else _date(items, index)


def _moment(value: Any, base: datetime, offset_minutes: int) -> datetime:
    if isinstance(value, int) and not isinstance(value, bool):
        delta = value * _MINUTE
    elif (
        isinstance(value, list) and 1 <= len(value) <= 2 and all(isinstance(v, int) for v in value)
    ):
        delta = timedelta(seconds=value[0], microseconds=value[1] if len(value) == 2 else 0)
    else:
        raise _Malformed("instant")
    return (base + delta).astimezone(timezone(offset_minutes * _MINUTE))


def _leg_moment(leg: list[Any], index: int, airport_code: str, base: datetime) -> datetime:
    explicit = _optional(leg, index + 2, int)
    if explicit is not None:
        return _moment(leg[index], base, explicit)
    from itdeclare.models import reference

    airport = reference.airport(airport_code)
    if airport is None:
        raise _Malformed("offset")
    utc = _moment(leg[index], base, 0)
    return utc.astimezone(airport.zone)


def _holder(items: list[Any]) -> Holder:
    return Holder(
        family_name=_field(items, 0, str),
        given_name=_field(items, 1, str),
        sex=_code(SEXES, items, 2),
        date_of_birth=_date(items, 3),
        nationality=_field(items, 4, str),
        chinese_name=_optional(items, 5, str),
    )


def _document(items: list[Any]) -> IdentityDocument:
    return IdentityDocument.model_construct(
        type=_code(DOCUMENTS, items, 0),
        number=_field(items, 1, str),
        expires_on=_optional_date(items, 2),
    )


def _leg(items: list[Any], base: datetime) -> FlightLeg:
    origin, destination = _field(items, 1, str), _field(items, 2, str)
    return FlightLeg.model_construct(
        flight=_field(items, 0, str),
        from_=origin,
        to=destination,
        departs_at=_leg_moment(items, 3, origin, base),
        arrives_at=_leg_moment(items, 4, destination, base),
    )


def _test(items: list[Any], base: datetime, places: list[Any]) -> LabTest:
    place = _field(items, 4, int)
    if not 0 <= place < len(places) or not isinstance(places[place], str):
        raise _Malformed("place")
    return LabTest.model_construct(
        kind=_code(TEST_KINDS, items, 0),
        result=_code(RESULTS, items, 1),
        sampled_at=_moment(items[2] if len(items) > 2 else None, base, _field(items, 3, int)),
        institution=places[place],
        country=_field(items, 5, str),
    )


def _vaccination(items: list[Any]) -> Vaccination:
    return Vaccination.model_construct(
        product=_field(items, 0, str),
        dose=_field(items, 1, int),
        of=_field(items, 2, int),
        date=_date(items, 3),
        country=_field(items, 4, str),
    )


def _history(items: list[Any]) -> HistoryEntry:
    return HistoryEntry.model_construct(
        kind=_code(HISTORY_KINDS, items, 0),
        date=_date(items, 1),
        recovered_on=_optional_date(items, 2),
    )


def _decoded_reference(value: Any) -> str:
    if isinstance(value, bytes) and len(value) == 16:
        return str(uuid.UUID(bytes=value))
    if isinstance(value, str):
        return value
    raise _Malformed("reference")


def decode(value: Any, issued_at: float) -> CertifiedRecord:
    """The record in a claim value, or :class:`errors.SchemaInvalid` if it is malformed."""
    base = datetime.fromtimestamp(int(issued_at), UTC)
    try:
        if not isinstance(value, list) or not value or value[0] != VERSION:
            raise _Malformed("version")
        places = _list(value, 10)
        return CertifiedRecord(
            kind=_code(KINDS, value, 1),
            reference=_decoded_reference(value[2] if len(value) > 2 else None),
            holder=_holder(_field(value, 3, list)),
            document=_document(_field(value, 4, list)),
            port_of_entry=_optional(value, 5, str),
            itinerary=tuple(_leg(_checked_list(leg), base) for leg in _list(value, 6)),
            tests=tuple(_test(_checked_list(t), base, places) for t in _list(value, 7)),
            vaccinations=tuple(_vaccination(_checked_list(v)) for v in _list(value, 8)),
            history=tuple(_history(_checked_list(h)) for h in _list(value, 9)),
        )
    except (_Malformed, OverflowError, ValueError) as exc:
        raise errors.SchemaInvalid(reason=f"record: {exc}") from None


def _checked_list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Malformed("entry")
    return value


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
