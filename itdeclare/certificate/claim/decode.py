"""Reading the record claim back: into a :class:`~itdeclare.certificate.record.CertifiedRecord`
(:func:`decode`), or straight into the JSON of ``verify --json`` (:func:`decode_json`).

Both come from one reading of the claim, which builds plain dictionaries in the spellings of
``CertifiedRecord.to_json``; the JSON one turns instants and dates into text as pydantic
writes them and never builds a model, so ``verify --jsonl`` does not load pydantic at all.

Every field is checked for its type before use: a claim that does not hold together is
:class:`errors.SchemaInvalid`, never another exception.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from itdeclare.certificate import errors
from itdeclare.certificate.claim import keys
from itdeclare.certificate.claim.keys import Document, Dose, Episode, Holder, Leg, Record, Test
from itdeclare.certificate.claim.packing import CODE, HAN, LATIN, Alphabet, unpack
from itdeclare.certificate.record import RecordKind, certificate_id
from itdeclare.models.enums import CHINESE_DOCUMENTS

if TYPE_CHECKING:
    from itdeclare.certificate.record import CertifiedRecord

MINUTE = timedelta(minutes=1)
#: How far after a leg's time its explicit UTC offset sits (departure and arrival alike).
_OFFSET_AFTER_TIME = Leg.DEPARTS_OFFSET - Leg.DEPARTS
assert Leg.ARRIVES_OFFSET - Leg.ARRIVES == _OFFSET_AFTER_TIME


class Malformed(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class _Form:
    """How the reading writes what is not plain text or a number."""

    moment: Callable[[datetime], Any]
    day: Callable[[date], Any]
    enum: Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


#: Bounds of the caches keyed by what a code says (a time zone offset, an airport code): a batch
#: of hostile codes, each naming another, must not grow them without end. Real codes name a few
#: hundred airports and a few dozen offsets.
_SEEN_OFFSETS = 256
_SEEN_AIRPORTS = 2048


@lru_cache(maxsize=_SEEN_OFFSETS)
def _offset_text(seconds: int) -> str:
    """A UTC offset as pydantic writes it: ``Z`` for none, else ``±HH:MM`` (seconds dropped)."""
    if seconds == 0:
        return "Z"
    sign, minutes = ("-" if seconds < 0 else "+"), abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def json_moment(moment: datetime) -> str:
    """An aware instant as ``model_dump(mode="json")`` writes it."""
    text = moment.isoformat()
    if text[-6] in "+-" and text[-3] == ":":  # ±HH:MM, no seconds
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    offset = moment.utcoffset()
    assert offset is not None
    return moment.replace(tzinfo=None).isoformat() + _offset_text(offset // timedelta(seconds=1))


_AS_MODELS = _Form(moment=_same, day=_same, enum=_same)
#: Every enumeration of the record is a StrEnum, whose ``str()`` is its value (and costs less
#: than reaching ``.value``).
_AS_JSON = _Form(moment=json_moment, day=date.isoformat, enum=str)


def _field(items: Sequence[Any], index: int, kind: type | tuple[type, ...]) -> Any:
    try:
        value = items[index]
    except IndexError:
        raise Malformed(index) from None
    if not isinstance(value, kind) or value is True or value is False:
        raise Malformed(index)
    return value


def _optional(items: Sequence[Any], index: int, kind: type | tuple[type, ...]) -> Any:
    if index >= len(items) or items[index] is None:
        return None
    return _field(items, index, kind)


def _text(items: Sequence[Any], index: int, alphabet: Alphabet) -> str:
    return unpack(_field(items, index, (str, bytes)), alphabet)


def _optional_text(items: Sequence[Any], index: int, alphabet: Alphabet) -> str | None:
    if index >= len(items) or items[index] is None:
        return None
    return unpack(_field(items, index, (str, bytes)), alphabet)


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


@lru_cache(maxsize=_SEEN_OFFSETS)
def _zone(offset_minutes: int) -> timezone:
    return timezone(offset_minutes * MINUTE)


def _after(base: datetime, value: Any) -> datetime:
    """``base`` plus a stored delta, in UTC (wall-clock arithmetic would skip DST changes)."""
    return base.astimezone(UTC) + _delta(value)


def _airport(code: str) -> Any:
    return _airport_alone()(code)


@cache
def _airport_alone() -> Callable[[str], Any]:
    """The reference data's look-up, imported once (an import statement in a function costs
    on every call, several times a record)."""
    from itdeclare.models import reference

    return reference.airport_alone


@lru_cache(maxsize=_SEEN_AIRPORTS)
def _airport_zone(code: str) -> tzinfo | None:
    """The time zone of the airport ``code``; None for an unknown airport."""
    airport = _airport(code)
    return None if airport is None else airport.zone


def _leg_moment(leg: list[Any], index: int, airport_code: str, base: datetime) -> datetime:
    moment = base.astimezone(UTC) + _delta(leg[index] if index < len(leg) else None)
    explicit = _optional(leg, index + _OFFSET_AFTER_TIME, int)
    zone = _airport_zone(airport_code) if explicit is None else _zone(explicit)
    if zone is None:
        raise Malformed("offset")
    return moment.astimezone(zone)


def _holder(items: list[Any], document_type: Any, form: _Form) -> dict[str, Any]:
    nationality = _optional_text(items, Holder.NATIONALITY, LATIN)
    if nationality is None:
        if document_type not in CHINESE_DOCUMENTS:
            raise Malformed("nationality")
        nationality = keys.HOME_NATIONALITY
    return {
        "family_name": _text(items, Holder.FAMILY_NAME, LATIN),
        "given_name": _text(items, Holder.GIVEN_NAME, LATIN),
        "chinese_name": _optional_text(items, Holder.CHINESE_NAME, HAN),
        "sex": form.enum(_code(keys.SEXES, items, Holder.SEX)),
        "date_of_birth": form.day(_date(items, Holder.BIRTH)),
        "nationality": nationality,
    }


def _document(items: list[Any], form: _Form) -> dict[str, Any]:
    expires = _optional_date(items, Document.EXPIRES)
    return {
        "type": form.enum(_code(keys.DOCUMENTS, items, Document.TYPE)),
        "number": _text(items, Document.NUMBER, CODE),
        "expires_on": None if expires is None else form.day(expires),
    }


@dataclass(slots=True)
class _Trip:
    """What the tests after the legs follow from: the flight into China's departure."""

    legs: list[dict[str, Any]]
    destination: str | None = None
    departure: datetime | None = None
    origin: str | None = None


def _legs(entries: list[list[Any]], base: datetime, form: _Form) -> _Trip:
    trip = _Trip([])
    arrived: datetime | None = None
    for items in entries:
        origin = _optional_text(items, Leg.FROM, LATIN) or trip.destination
        if origin is None:
            raise Malformed("from")
        destination = _text(items, Leg.TO, LATIN)
        departs = _leg_moment(items, Leg.DEPARTS, origin, arrived or base)
        arrived = _leg_moment(items, Leg.ARRIVES, destination, departs)
        trip.legs.append(
            {
                "flight": _text(items, Leg.FLIGHT, CODE),
                "from": origin,
                "to": destination,
                "departs_at": form.moment(departs),
                "arrives_at": form.moment(arrived),
            }
        )
        trip.destination, trip.departure, trip.origin = destination, departs, origin
    return trip


def _first_test_offset(trip: _Trip) -> int | None:
    """The offset of the departure into China, in minutes (as the encoder assumes it)."""
    if trip.departure is None:
        return None
    offset = trip.departure.utcoffset()
    if offset is None or offset % MINUTE:
        raise Malformed("offset")
    return offset // MINUTE


def _first_test_country(origin: str | None) -> str | None:
    """Tests are taken in the country the flight into China leaves from (the rules say so)."""
    airport = None if origin is None else _airport(origin)
    return None if airport is None else str(airport.country)


def _tests(
    entries: list[list[Any]], base: datetime, places: list[Any], trip: _Trip, form: _Form
) -> list[dict[str, Any]]:
    tests: list[dict[str, Any]] = []
    if not entries:
        return tests
    offset, country, previous = _first_test_offset(trip), _first_test_country(trip.origin), base
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
            {
                "kind": form.enum(keys.TEST_KINDS[kind_result // 2]),
                "sampled_at": form.moment(sampled.astimezone(_zone(offset))),
                "result": form.enum(keys.RESULTS[kind_result % 2]),
                "institution": places[place],
                "country": country,
            }
        )
        previous = sampled
    return tests


def _vaccinations(entries: list[list[Any]], nationality: str, form: _Form) -> list[dict[str, Any]]:
    doses: list[dict[str, Any]] = []
    country, previous = nationality, keys.EPOCH
    for items in entries:
        product = _field(items, Dose.PRODUCT, (int, str))
        if isinstance(product, int):
            product = _code(keys.PRODUCTS, items, Dose.PRODUCT)
        country = _optional_text(items, Dose.COUNTRY, LATIN) or country
        previous += timedelta(days=_field(items, Dose.DAYS, int))
        doses.append(
            {
                "product": product,
                "dose": _field(items, Dose.DOSE, int),
                "of": _field(items, Dose.OF, int),
                "date": form.day(previous),
                "country": country,
            }
        )
    return doses


def _episode(items: list[Any], form: _Form) -> dict[str, Any]:
    onset = _date(items, Episode.DATE)
    recovered = _optional(items, Episode.RECOVERED, int)
    return {
        "kind": form.enum(_code(keys.HISTORY_KINDS, items, Episode.KIND)),
        "date": form.day(onset),
        "recovered_on": None if recovered is None else form.day(onset + timedelta(days=recovered)),
    }


def reference(value: Any) -> str:
    if isinstance(value, bytes) and value:
        return value.hex()
    if isinstance(value, str):
        return value
    raise Malformed("reference")


def kind(value: Sequence[Any]) -> RecordKind:
    return _code(keys.KINDS, value, Record.KIND)


def _read(
    value: Any, issued_at: float, form: _Form, *, shape_checked: bool = False
) -> dict[str, Any]:
    """The record in the spellings of ``CertifiedRecord.to_json``, instants and dates and
    enumerations written by ``form``; :class:`errors.SchemaInvalid` naming the field that does
    not read if it is malformed."""
    base = datetime.fromtimestamp(int(issued_at), UTC)
    if not shape_checked:
        check_shape(value)
    reading = Record.KIND  # the field being read, for the reason a failure gives
    try:
        record_kind = kind(value)
        reading = Record.REFERENCE
        text_reference = reference(value[Record.REFERENCE])
        reading = Record.DOCUMENT
        document_items = _field(value, Record.DOCUMENT, list)
        document_type = _code(keys.DOCUMENTS, document_items, Document.TYPE)
        document = _document(document_items, form)
        reading = Record.LEGS
        trip = _legs(_entries(value, Record.LEGS), base, form)
        reading = Record.PORT
        port = _optional_text(value, Record.PORT, LATIN) or trip.destination
        reading = Record.HOLDER
        holder = _holder(_field(value, Record.HOLDER, list), document_type, form)
        reading = Record.PLACES
        places = _optional(value, Record.PLACES, list) or []
        reading = Record.TESTS
        tests = _tests(_entries(value, Record.TESTS), base, places, trip, form)
        reading = Record.VACCINATIONS
        entries = _entries(value, Record.VACCINATIONS)
        vaccinations = _vaccinations(entries, holder["nationality"], form)
        reading = Record.HISTORY
        history = [_episode(items, form) for items in _entries(value, Record.HISTORY)]
    except (Malformed, OverflowError, ValueError) as exc:
        field_name = keys.RECORD_FIELDS[reading]
        raise errors.SchemaInvalid(reason=f"record: {field_name}: {exc}") from None
    return {
        "kind": form.enum(record_kind),
        "reference": text_reference,
        "certificate_id": certificate_id(text_reference, record_kind),
        "holder": holder,
        "document": document,
        "port_of_entry": port,
        "itinerary": trip.legs,
        "tests": tests,
        "vaccinations": vaccinations,
        "history": history,
    }


def decode_json(value: Any, issued_at: float, *, shape_checked: bool = False) -> dict[str, Any]:
    """The record in a claim value as ``CertifiedRecord.to_json`` writes it, without building
    the record; :class:`errors.SchemaInvalid` if it is malformed. ``shape_checked``: the
    caller has had :func:`check_shape` pass on this very value (a verification's schema check
    has), so it is not run twice.

    A record of plain values, as the issuer writes it, is read by :func:`_plain_json`; what
    that reading does not take is read field by field (:func:`_read`), which decides it."""
    base = datetime.fromtimestamp(int(issued_at), UTC)
    if not shape_checked:
        check_shape(value)
    return _plain_json(value, base) or _read(value, issued_at, _AS_JSON, shape_checked=True)


def decode(value: Any, issued_at: float) -> CertifiedRecord:
    """The record in a claim value, or :class:`errors.SchemaInvalid` if it is malformed."""
    from itdeclare.certificate.record import CertifiedRecord
    from itdeclare.certificate.record import Holder as RecordHolder
    from itdeclare.models import FlightLeg, HistoryEntry, IdentityDocument, LabTest, Vaccination

    plain = _read(value, issued_at, _AS_MODELS)
    return CertifiedRecord(
        kind=plain["kind"],
        reference=plain["reference"],
        holder=RecordHolder(**plain["holder"]),
        document=IdentityDocument.model_construct(**plain["document"]),
        port_of_entry=plain["port_of_entry"],
        itinerary=tuple(
            FlightLeg.model_construct(
                flight=leg["flight"],
                from_=leg["from"],
                to=leg["to"],
                departs_at=leg["departs_at"],
                arrives_at=leg["arrives_at"],
            )
            for leg in plain["itinerary"]
        ),
        tests=tuple(LabTest.model_construct(**test) for test in plain["tests"]),
        vaccinations=tuple(Vaccination.model_construct(**dose) for dose in plain["vaccinations"]),
        history=tuple(HistoryEntry.model_construct(**entry) for entry in plain["history"]),
    )


#: The record's lists of entries: each, when present, an array of arrays.
_ENTRY_LISTS = (Record.LEGS, Record.TESTS, Record.VACCINATIONS, Record.HISTORY)
_NONE = type(None)


def check_shape(value: Any) -> None:
    """The cheap part of :func:`decode`, for every scan: version, kind and reference right, and
    every top-level field of the type the reading takes it for, so a signed claim that is not
    a record fails here, naming the field. What the entries hold is read when the record is
    shown, and a failure there fails the schema check too (``Verification``)."""
    try:
        if not _head_fits(value):
            _check_head(value)
        _check_optional_fields(value)
    except Malformed as exc:
        (where,) = exc.args  # a position of the record, or the name of what is wrong
        name = keys.RECORD_FIELDS[where] if isinstance(where, int) else where
        raise errors.SchemaInvalid(reason=f"record: {name}") from None


def _head_fits(value: Any) -> bool:
    """Whether the fields up to the document pass :func:`_check_head`, decided with no call
    per field for a record of plain lists, texts and integers, as the CBOR decoder makes it
    (this runs on every scan). It never accepts what :func:`_check_head` refuses; when it
    says no, that check decides and names the field."""
    if type(value) is not list or len(value) <= Record.DOCUMENT:
        return False
    version, record_kind, ref, holder, document = value[: Record.DOCUMENT + 1]
    return (
        version == keys.VERSION
        and type(record_kind) is int
        and 0 <= record_kind < len(keys.KINDS)
        and (type(ref) is str or (type(ref) is bytes and len(ref) > 0))
        and type(holder) is list
        and type(document) is list
    )


def _check_head(value: Any) -> None:
    """Version, kind and reference right, holder and document lists; :class:`Malformed`
    naming the first field that is not."""
    if not isinstance(value, list) or not value or value[Record.VERSION] != keys.VERSION:
        raise Malformed(Record.VERSION)
    kind(value)
    reference(value[Record.REFERENCE] if len(value) > Record.REFERENCE else None)
    _field(value, Record.HOLDER, list)
    _field(value, Record.DOCUMENT, list)


def _check_optional_fields(value: list[Any]) -> None:
    """The fields from the port on, each absent (None or left off) or of its type. Written
    out rather than through the helpers above: this runs on every scan, and a call per field
    would cost twice as much."""
    size = len(value)
    if size > Record.PORT and not isinstance(value[Record.PORT], (str, bytes, _NONE)):
        raise Malformed(Record.PORT)
    for index in _ENTRY_LISTS:
        entries = value[index] if index < size else None
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise Malformed(index)
        for entry in entries:
            if not isinstance(entry, list):
                raise Malformed(index)
    if size > Record.PLACES and not isinstance(value[Record.PLACES], (list, _NONE)):
        raise Malformed(Record.PLACES)


def certificate_id_of(value: Any) -> str | None:
    """The certificate identifier of a record claim, without decoding the rest of it."""
    try:
        return certificate_id(reference(value[Record.REFERENCE]), kind(value))
    except (Malformed, TypeError, IndexError, KeyError):
        return None


# --- the plain reading, for verify --jsonl ----------------------------------------------------


class _Unusual(Exception):
    """The plain reading met what it does not take: the field-by-field reading decides."""


#: The enumerations' JSON texts by their codes (``_AS_JSON``'s ``str`` of each, taken once).
_KIND_TEXTS = tuple(map(str, keys.KINDS))
_SEX_TEXTS = tuple(map(str, keys.SEXES))
_DOCUMENT_TEXTS = tuple(map(str, keys.DOCUMENTS))
_HISTORY_TEXTS = tuple(map(str, keys.HISTORY_KINDS))
#: A test's kind and result by its code, ``kind * 2 + result``.
_TEST_TEXTS = tuple((str(kind), str(result)) for kind in keys.TEST_KINDS for result in keys.RESULTS)
#: Whether each document leaves the holder's nationality out as CHN.
_CHINESE_DOCUMENT = tuple(document in CHINESE_DOCUMENTS for document in keys.DOCUMENTS)
_NONES: list[Any] = [None] * (Record.PLACES + 1)

_EPOCH_DAY = keys.EPOCH.toordinal()
_DAY_SECONDS = 86400
#: The instants a datetime holds, in seconds from 1970: 0001-01-01 to 9999-12-31 23:59:59.
_FIRST_SECOND, _LAST_SECOND = -62135596800, 253402300799
_TWO_DIGITS = tuple(f"{number:02d}" for number in range(60))
#: A wall clock's text by the minute of the day ("HH:MM"), and by the second (":SS").
_CLOCK_MINUTES = tuple(f"{hour}:{minute}" for hour in _TWO_DIGITS[:24] for minute in _TWO_DIGITS)
_CLOCK_SECONDS = tuple(f":{second}" for second in _TWO_DIGITS)


def _plain_json(value: list[Any], base: datetime) -> dict[str, Any] | None:
    """What :func:`_read` makes of ``value`` (in ``_AS_JSON``), for a record whose shape check
    has passed and whose every field is of its plain type (``int``, ``str``, ``bytes``, no
    subclass) with its times in whole minutes; None for any other record, which :func:`_read`
    then reads. ``verify --jsonl`` writes the record of each line: this reading makes a call
    per entry where that one makes several per field, and counts time in whole seconds (an
    integer ``iat`` plus minutes) rather than in datetimes."""
    try:
        return _plain_record(value, int(base.timestamp()))
    except (_Unusual, ValueError, OverflowError, OSError):  # unpacking, a zone or a date refusing
        return None


def _plain_record(value: list[Any], issued: int) -> dict[str, Any]:
    _, kind_code, ref, holder, document, port, legs, tests, doses, history, places = _padded(
        value, Record.PLACES + 1
    )
    record_kind = keys.KINDS[kind_code]  # in range: the shape check has seen to it
    text_reference = reference(ref)
    document_type, holder_json = _plain_document_type(document), _plain_holder(holder)
    if holder_json["nationality"] is None:
        if not _CHINESE_DOCUMENT[document_type]:
            raise _Unusual
        holder_json["nationality"] = keys.HOME_NATIONALITY
    trip = _plain_legs(legs or (), issued)
    return {
        "kind": _KIND_TEXTS[kind_code],
        "reference": text_reference,
        "certificate_id": certificate_id(text_reference, record_kind),
        "holder": holder_json,
        "document": _plain_document(document, document_type),
        "port_of_entry": (None if port is None else _plain_text(port, LATIN)) or trip.destination,
        "itinerary": trip.legs,
        "tests": _plain_tests(tests, issued, places or [], trip) if tests else [],
        "vaccinations": _plain_doses(doses or (), holder_json["nationality"]),
        "history": [_plain_episode(items) for items in history or ()],
    }


def _padded(items: list[Any], size: int) -> list[Any]:
    """The first ``size`` of ``items``, None for those left off (as the reading takes them)."""
    return items[:size] if len(items) >= size else items + _NONES[: size - len(items)]


def _plain_text(value: Any, alphabet: Alphabet) -> str:
    if type(value) is bytes:
        return unpack(value, alphabet)
    if type(value) is str:
        return value
    raise _Unusual


def _plain_int(value: Any) -> int:
    if type(value) is not int:
        raise _Unusual
    return value


@lru_cache(maxsize=4096)
def _day_text(ordinal: int) -> str:
    """A date as ``date.isoformat`` writes it (ValueError past either end of the calendar).
    The days last asked are kept: a batch's codes hold the same days of travel, of tests and
    of vaccination over and over, and writing a date was a third of writing an instant."""
    return date.fromordinal(ordinal).isoformat()


def _plain_day(days: Any) -> str:
    """The date ``days`` after 1970-01-01."""
    return _day_text(_EPOCH_DAY + _plain_int(days))


def _plain_holder(items: list[Any]) -> dict[str, Any]:
    """The holder, its nationality None when left out (the document decides it)."""
    family, given, sex, birth, chinese, nationality = _padded(items, Holder.NATIONALITY + 1)
    if type(sex) is not int or not 0 <= sex < len(_SEX_TEXTS):
        raise _Unusual
    return {
        "family_name": _plain_text(family, LATIN),
        "given_name": _plain_text(given, LATIN),
        "chinese_name": None if chinese is None else _plain_text(chinese, HAN),
        "sex": _SEX_TEXTS[sex],
        "date_of_birth": _plain_day(birth),
        "nationality": None if nationality is None else _plain_text(nationality, LATIN),
    }


def _plain_document_type(items: list[Any]) -> int:
    code = items[Document.TYPE] if items else None
    if type(code) is not int or not 0 <= code < len(_DOCUMENT_TEXTS):
        raise _Unusual
    return code


def _plain_document(items: list[Any], document_type: int) -> dict[str, Any]:
    _, number, expires = _padded(items, Document.EXPIRES + 1)
    return {
        "type": _DOCUMENT_TEXTS[document_type],
        "number": _plain_text(number, CODE),
        "expires_on": None if expires is None else _plain_day(expires),
    }


def _after_minutes(instant: int, minutes: Any) -> int:
    """``instant`` plus whole ``minutes``, in seconds from 1970; refused past the instants a
    datetime holds, as adding a timedelta refuses it."""
    instant += _plain_int(minutes) * 60
    if not _FIRST_SECOND <= instant <= _LAST_SECOND:
        raise _Unusual
    return instant


def wall_clock_text(seconds: int) -> str:
    """The date and time ``seconds`` after 1970-01-01 00:00 as ``datetime.isoformat`` writes
    them (``YYYY-MM-DDTHH:MM:SS``); ValueError past either end of the calendar."""
    day, second = divmod(seconds, _DAY_SECONDS)
    clock = _CLOCK_MINUTES[second // 60] + _CLOCK_SECONDS[second % 60]
    return f"{_day_text(_EPOCH_DAY + day)}T{clock}"


def _moment_text(instant: int, offset: int) -> str:
    """The instant ``instant`` (seconds from 1970) on a clock ``offset`` seconds ahead of UTC,
    as :func:`json_moment` writes it: the wall clock's date and time, then the offset."""
    return wall_clock_text(instant + offset) + _offset_text(offset)


@lru_cache(maxsize=_SEEN_OFFSETS)
def _offset_seconds(offset: timedelta) -> int:
    """A zone's offset in whole seconds (the zones' data has no finer ones)."""
    if offset.microseconds:
        raise _Unusual
    return offset.days * _DAY_SECONDS + offset.seconds


def _leg_offset(explicit: Any, airport_code: str, instant: int) -> int:
    """The UTC offset of a leg's time, in seconds: its explicit one, else its airport's then."""
    if explicit is not None:
        _zone(_plain_int(explicit))  # refuses an offset of a day or more, as reading it does
        return explicit * 60
    zone = _airport_zone(airport_code)
    if zone is None:
        raise _Unusual
    offset = datetime.fromtimestamp(instant, zone).utcoffset()
    assert offset is not None  # an airport's zone has an offset at every instant
    return _offset_seconds(offset)


@dataclass(slots=True)
class _PlainTrip:
    """:class:`_Trip`, with the departure into China's offset in seconds."""

    legs: list[dict[str, Any]]
    destination: str | None = None
    origin: str | None = None
    departure_offset: int | None = None


def _plain_legs(entries: Sequence[list[Any]], issued: int) -> _PlainTrip:
    """The legs as :func:`_legs` reads them."""
    trip, arrived = _PlainTrip([]), issued
    for items in entries:
        flight, origin, to, departs, arrives, departs_offset, arrives_offset = _padded(items, 7)
        origin = (None if origin is None else _plain_text(origin, LATIN)) or trip.destination
        if origin is None:
            raise _Unusual
        destination = _plain_text(to, LATIN)
        departed = _after_minutes(arrived, departs)
        arrived = _after_minutes(departed, arrives)
        departure_offset = _leg_offset(departs_offset, origin, departed)
        arrival_offset = _leg_offset(arrives_offset, destination, arrived)
        trip.legs.append(
            {
                "flight": _plain_text(flight, CODE),
                "from": origin,
                "to": destination,
                "departs_at": _moment_text(departed, departure_offset),
                "arrives_at": _moment_text(arrived, arrival_offset),
            }
        )
        trip.destination, trip.origin, trip.departure_offset = destination, origin, departure_offset
    return trip


def _plain_tests(
    entries: list[list[Any]], issued: int, places: list[Any], trip: _PlainTrip
) -> list[dict[str, Any]]:
    """The tests as :func:`_tests` reads them, ``entries`` not empty; offsets in minutes."""
    offset = trip.departure_offset
    if offset is not None:
        if offset % 60:
            raise _Unusual
        offset //= 60
    country, sampled = _first_test_country(trip.origin), issued
    tests: list[dict[str, Any]] = []
    for items in entries:
        kind_result, minutes, place, explicit, country_code = _padded(items, Test.COUNTRY + 1)
        if type(kind_result) is not int or not 0 <= kind_result < len(_TEST_TEXTS):
            raise _Unusual
        if type(place) is not int or not 0 <= place < len(places):
            raise _Unusual
        if explicit is not None:
            offset = _plain_int(explicit)
        if country_code is not None:
            country = _plain_text(country_code, LATIN) or country
        institution = places[place]
        if offset is None or country is None or not isinstance(institution, str):
            raise _Unusual
        sampled = _after_minutes(sampled, minutes)
        _zone(offset)  # refuses an offset of a day or more, as reading it does
        kind, result = _TEST_TEXTS[kind_result]
        tests.append(
            {
                "kind": kind,
                "sampled_at": _moment_text(sampled, offset * 60),
                "result": result,
                "institution": institution,
                "country": country,
            }
        )
    return tests


def _plain_doses(entries: Sequence[list[Any]], nationality: str) -> list[dict[str, Any]]:
    """The vaccinations as :func:`_vaccinations` reads them; a dose's date is counted in
    ordinals, each one made a date (as adding a timedelta checks it)."""
    doses: list[dict[str, Any]] = []
    country, day = nationality, _EPOCH_DAY
    for items in entries:
        product, dose, of, days, country_code = _padded(items, Dose.COUNTRY + 1)
        if type(product) is int:
            if not 0 <= product < len(keys.PRODUCTS):
                raise _Unusual
            product = keys.PRODUCTS[product]
        elif type(product) is not str:
            raise _Unusual
        if country_code is not None:
            country = _plain_text(country_code, LATIN) or country
        day += _plain_int(days)
        doses.append(
            {
                "product": product,
                "dose": _plain_int(dose),
                "of": _plain_int(of),
                "date": _day_text(day),
                "country": country,
            }
        )
    return doses


def _plain_episode(items: list[Any]) -> dict[str, Any]:
    kind_code, onset, recovered = _padded(items, Episode.RECOVERED + 1)
    if type(kind_code) is not int or not 0 <= kind_code < len(_HISTORY_TEXTS):
        raise _Unusual
    onset_day = _EPOCH_DAY + _plain_int(onset)
    return {
        "kind": _HISTORY_TEXTS[kind_code],
        "date": _day_text(onset_day),
        "recovered_on": None if recovered is None else _day_text(onset_day + _plain_int(recovered)),
    }
