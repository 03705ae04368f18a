"""Reading the record claim back into a :class:`~itdeclare.certificate.record.CertifiedRecord`.

Every field is checked for its type before use: a claim that does not hold together is
:class:`errors.SchemaInvalid`, never another exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from itdeclare.certificate import errors
from itdeclare.certificate.claim import keys
from itdeclare.certificate.claim.encode import MINUTE, first_test_country, first_test_offset
from itdeclare.certificate.claim.keys import Document, Dose, Episode, Holder, Leg, Record, Test
from itdeclare.certificate.claim.packing import CODE, HAN, LATIN, Alphabet, unpack
from itdeclare.certificate.record import CertifiedRecord, RecordKind, certificate_id
from itdeclare.certificate.record import Holder as RecordHolder
from itdeclare.models import (
    CHINESE_DOCUMENTS,
    FlightLeg,
    HistoryEntry,
    IdentityDocument,
    LabTest,
    Vaccination,
)


class Malformed(ValueError):
    pass


def _field(items: Sequence[Any], index: int, kind: type | tuple[type, ...]) -> Any:
    value = items[index] if index < len(items) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise Malformed(index)
    return value


def _optional(items: Sequence[Any], index: int, kind: type | tuple[type, ...]) -> Any:
    if index >= len(items) or items[index] is None:
        return None
    return _field(items, index, kind)


def _text(items: Sequence[Any], index: int, alphabet: Alphabet) -> str:
    return unpack(_field(items, index, (str, bytes)), alphabet)


def _optional_text(items: Sequence[Any], index: int, alphabet: Alphabet) -> str | None:
    value = _optional(items, index, (str, bytes))
    return None if value is None else unpack(value, alphabet)


def _entries(items: Sequence[Any], index: int) -> list[list[Any]]:
    entries = _optional(items, index, list) or []
    if not all(isinstance(entry, list) for entry in entries):
        raise Malformed(index)
    return entries


def _code(table: Sequence[Any], items: Sequence[Any], index: int) -> Any:
    value = _field(items, index, int)
    if not 0 <= value < len(table):
        raise Malformed(index)
    return table[value]


def _date(items: Sequence[Any], index: int) -> date:
    return keys.EPOCH + timedelta(days=_field(items, index, int))


def _optional_date(items: Sequence[Any], index: int) -> date | None:
    return None if _optional(items, index, int) is None else _date(items, index)


def _delta(value: Any) -> timedelta:
    if isinstance(value, int) and not isinstance(value, bool):
        return value * MINUTE
    if isinstance(value, list) and 1 <= len(value) <= 2 and all(isinstance(v, int) for v in value):
        return timedelta(seconds=value[0], microseconds=value[1] if len(value) == 2 else 0)
    raise Malformed("instant")


def _zone(offset_minutes: int) -> timezone:
    return timezone(offset_minutes * MINUTE)


def _after(base: datetime, value: Any) -> datetime:
    """``base`` plus a stored delta, in UTC (wall-clock arithmetic would skip DST changes)."""
    return base.astimezone(UTC) + _delta(value)


def _leg_moment(leg: list[Any], index: int, airport_code: str, base: datetime) -> datetime:
    moment = _after(base, leg[index] if index < len(leg) else None)
    explicit = _optional(leg, index + Leg.DEPARTS_OFFSET - Leg.DEPARTS, int)
    if explicit is not None:
        return moment.astimezone(_zone(explicit))
    from itdeclare.models import reference

    airport = reference.airport(airport_code)
    if airport is None:
        raise Malformed("offset")
    return moment.astimezone(airport.zone)


def _holder(items: list[Any], document: IdentityDocument) -> RecordHolder:
    nationality = _optional_text(items, Holder.NATIONALITY, LATIN)
    if nationality is None:
        if document.type not in CHINESE_DOCUMENTS:
            raise Malformed("nationality")
        nationality = keys.HOME_NATIONALITY
    return RecordHolder(
        family_name=_text(items, Holder.FAMILY_NAME, LATIN),
        given_name=_text(items, Holder.GIVEN_NAME, LATIN),
        sex=_code(keys.SEXES, items, Holder.SEX),
        date_of_birth=_date(items, Holder.BIRTH),
        nationality=nationality,
        chinese_name=_optional_text(items, Holder.CHINESE_NAME, HAN),
    )


def _document(items: list[Any]) -> IdentityDocument:
    return IdentityDocument.model_construct(
        type=_code(keys.DOCUMENTS, items, Document.TYPE),
        number=_text(items, Document.NUMBER, CODE),
        expires_on=_optional_date(items, Document.EXPIRES),
    )


def _legs(entries: list[list[Any]], base: datetime) -> tuple[FlightLeg, ...]:
    legs: list[FlightLeg] = []
    for items in entries:
        origin = _optional_text(items, Leg.FROM, LATIN) or (legs[-1].to if legs else None)
        if origin is None:
            raise Malformed("from")
        destination = _text(items, Leg.TO, LATIN)
        departs = _leg_moment(items, Leg.DEPARTS, origin, legs[-1].arrives_at if legs else base)
        legs.append(
            FlightLeg.model_construct(
                flight=_text(items, Leg.FLIGHT, CODE),
                from_=origin,
                to=destination,
                departs_at=departs,
                arrives_at=_leg_moment(items, Leg.ARRIVES, destination, departs),
            )
        )
    return tuple(legs)


def _tests(
    entries: list[list[Any]], base: datetime, places: list[Any], legs: tuple[FlightLeg, ...]
) -> tuple[LabTest, ...]:
    tests: list[LabTest] = []
    offset, country, previous = first_test_offset(legs), first_test_country(legs), base
    for items in entries:
        kind_result = _field(items, Test.KIND_RESULT, int)
        place = _field(items, Test.PLACE, int)
        if not 0 <= kind_result < 2 * len(keys.TEST_KINDS) or not 0 <= place < len(places):
            raise Malformed("test")
        explicit = _optional(items, Test.OFFSET, int)
        offset = offset if explicit is None else explicit
        country = _optional_text(items, Test.COUNTRY, LATIN) or country
        if offset is None or country is None or not isinstance(places[place], str):
            raise Malformed("test")
        sampled = _after(previous, items[Test.SAMPLED] if len(items) > Test.SAMPLED else None)
        tests.append(
            LabTest.model_construct(
                kind=keys.TEST_KINDS[kind_result // 2],
                result=keys.RESULTS[kind_result % 2],
                sampled_at=sampled.astimezone(_zone(offset)),
                institution=places[place],
                country=country,
            )
        )
        previous = sampled
    return tuple(tests)


def _vaccinations(entries: list[list[Any]], nationality: str) -> tuple[Vaccination, ...]:
    doses: list[Vaccination] = []
    country, previous = nationality, keys.EPOCH
    for items in entries:
        product = _field(items, Dose.PRODUCT, (int, str))
        if isinstance(product, int):
            product = _code(keys.PRODUCTS, items, Dose.PRODUCT)
        country = _optional_text(items, Dose.COUNTRY, LATIN) or country
        doses.append(
            Vaccination.model_construct(
                product=product,
                dose=_field(items, Dose.DOSE, int),
                of=_field(items, Dose.OF, int),
                date=previous + timedelta(days=_field(items, Dose.DAYS, int)),
                country=country,
            )
        )
        previous = doses[-1].date
    return tuple(doses)


def _episode(items: list[Any]) -> HistoryEntry:
    onset = _date(items, Episode.DATE)
    recovered = _optional(items, Episode.RECOVERED, int)
    return HistoryEntry.model_construct(
        kind=_code(keys.HISTORY_KINDS, items, Episode.KIND),
        date=onset,
        recovered_on=None if recovered is None else onset + timedelta(days=recovered),
    )


def reference(value: Any) -> str:
    if isinstance(value, bytes) and value:
        return value.hex()
    if isinstance(value, str):
        return value
    raise Malformed("reference")


def kind(value: Sequence[Any]) -> RecordKind:
    return _code(keys.KINDS, value, Record.KIND)


def decode(value: Any, issued_at: float) -> CertifiedRecord:
    """The record in a claim value, or :class:`errors.SchemaInvalid` if it is malformed."""
    base = datetime.fromtimestamp(int(issued_at), UTC)
    try:
        check_shape(value)
        document = _document(_field(value, Record.DOCUMENT, list))
        legs = _legs(_entries(value, Record.LEGS), base)
        port = _optional_text(value, Record.PORT, LATIN) or (legs[-1].to if legs else None)
        holder = _holder(_field(value, Record.HOLDER, list), document)
        places = _optional(value, Record.PLACES, list) or []
        return CertifiedRecord(
            kind=kind(value),
            reference=reference(value[Record.REFERENCE]),
            holder=holder,
            document=document,
            port_of_entry=port,
            itinerary=legs,
            tests=_tests(_entries(value, Record.TESTS), base, places, legs),
            vaccinations=_vaccinations(_entries(value, Record.VACCINATIONS), holder.nationality),
            history=tuple(_episode(items) for items in _entries(value, Record.HISTORY)),
        )
    except (Malformed, OverflowError, ValueError) as exc:
        raise errors.SchemaInvalid(reason=f"record: {exc}") from None


def check_shape(value: Any) -> None:
    """The cheap part of :func:`decode`, for every scan: version, kind, reference, holder and
    document present with the right types. The signature vouches for the rest."""
    try:
        if not isinstance(value, list) or not value or value[Record.VERSION] != keys.VERSION:
            raise Malformed("version")
        kind(value)
        reference(value[Record.REFERENCE] if len(value) > Record.REFERENCE else None)
        _field(value, Record.HOLDER, list)
        _field(value, Record.DOCUMENT, list)
    except Malformed as exc:
        raise errors.SchemaInvalid(reason=f"record: {exc}") from None


def certificate_id_of(value: Any) -> str | None:
    """The certificate identifier of a record claim, without decoding the rest of it."""
    try:
        return certificate_id(reference(value[Record.REFERENCE]), kind(value))
    except (Malformed, TypeError, IndexError, KeyError):
        return None
