"""``verify --jsonl`` reads a record of plain values in one pass (``decode._plain_json``) and
leaves any other to the field-by-field reading (``decode._read``), which names what is wrong.
Whenever the plain reading answers, its JSON is that reading's, byte for byte; it answers for
every record the issuer writes in whole minutes; and ``decode_json`` gives the same record, or
the same refusal, as the field-by-field reading on any claim whose shape check passes."""

from __future__ import annotations

import importlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itdeclare.certificate import claim, errors
from itdeclare.certificate.claim.decode import json_moment
from itdeclare.certificate.claim.keys import Leg, Record, Test
from itdeclare.certificate.issue import declaration_record
from itdeclare.certificate.record import CertifiedRecord
from itdeclare.models import Declaration

from .conftest import DECLARATION_ID, ISSUED
from .test_round_trip import AIRPORTS, records

#: The module, not the function of the same name that ``claim`` exports.
decode_module = importlib.import_module("itdeclare.certificate.claim.decode")

#: Values a mutation puts anywhere in a claim: right and wrong types, edges of the calendar.
ODD_VALUES = [None, True, False, 0, 1, 2, 5, 7, 13, -1, 59, 1439, 1440, -1440, 10**6, -(10**7),
              3_000_000, -3_000_000, 5 * 10**9, -(5 * 10**9), 2**70, 1.0, "", "X", "KOR", "é",
              b"", b"\x01", b"\x1f", b"\xff\xff\xff", b"\x00\x01", [], [0], [1, 2], [30],
              [60, 500_000], [[]], {}]  # fmt: skip


def _careful(value: Any, issued_at: int) -> dict[str, Any] | str:
    """The field-by-field reading: the record's JSON, or the reason it gives."""
    try:
        return decode_module._read(value, issued_at, decode_module._AS_JSON)
    except errors.SchemaInvalid as error:
        return str(error.params["reason"])


def _plain(value: Any, issued_at: int) -> dict[str, Any] | None:
    return decode_module._plain_json(value, datetime.fromtimestamp(issued_at, UTC))


def _written(shown: dict[str, Any]) -> bytes:
    return json.dumps(shown, ensure_ascii=False).encode()


def _agrees(value: Any, issued_at: int) -> dict[str, Any] | None:
    """The plain reading of ``value``, asserted to be the field-by-field one's when it answers."""
    plain = _plain(value, issued_at)
    if plain is not None:
        careful = _careful(value, issued_at)
        assert isinstance(careful, dict), careful  # nothing the careful reading refuses
        assert _written(plain) == _written(careful)
    return plain


def _has_time_in_seconds(value: list[Any]) -> bool:
    """Whether a time of the claim is not whole minutes after the one before (``[s, µs]``)."""
    legs = value[Record.LEGS] if len(value) > Record.LEGS else None
    tests = value[Record.TESTS] if len(value) > Record.TESTS else None
    times = [leg[index] for leg in legs or () for index in (Leg.DEPARTS, Leg.ARRIVES)]
    times += [test[Test.SAMPLED] for test in tests or ()]
    return any(isinstance(time, list) for time in times)


issued_ats = st.integers(-(10**9), 4 * 10**9)


@settings(max_examples=300, deadline=None)
@given(records(), issued_ats)
def test_records_the_issuer_writes_read_plainly_as_field_by_field(
    record: CertifiedRecord, issued_at: int
) -> None:
    value = claim.encode(record, issued_at)
    plain = _agrees(value, issued_at)
    assert (plain is None) == _has_time_in_seconds(value)


def test_the_benchmarks_records_read_plainly(maximal: Declaration) -> None:
    issued_at = int(ISSUED.timestamp())
    record = declaration_record(maximal, DECLARATION_ID)
    value = claim.encode(record, issued_at)
    assert _agrees(value, issued_at) == record.to_json()


def _maximal_claims(maximal: Declaration) -> list[list[Any]]:
    """The maximal record's claim, and the same with a leg's and a test's offsets and a test's
    country written out (the same as those left out, so it reads the same)."""
    value = claim.encode(declaration_record(maximal, DECLARATION_ID), int(ISSUED.timestamp()))
    spelled_out = _copy(value)
    spelled_out[Record.LEGS][0] += [-360, -480]  # ORD and SEA in November
    spelled_out[Record.TESTS][0] += [540, "KOR"]
    return [value, spelled_out]


def test_any_field_of_the_maximal_record_replaced_reads_as_field_by_field(
    maximal: Declaration,
) -> None:
    """Every position of the claim, in every entry, set to each odd value or cut off there."""
    issued_at, read_plainly = int(ISSUED.timestamp()), 0
    for value in _maximal_claims(maximal):
        assert _agrees(value, issued_at) is not None
        for position in _positions(value):
            changed = [_copy(value) for _ in ODD_VALUES]
            for odd, copy in zip(ODD_VALUES, changed, strict=True):
                _parent(copy, position)[position[-1]] = odd
            cut = _copy(value)
            del _parent(cut, position)[position[-1] :]
            for copy in [*changed, cut]:
                try:
                    claim.check_shape(copy)
                except errors.SchemaInvalid:
                    continue
                read_plainly += _agrees(copy, issued_at) is not None
    assert read_plainly > 500  # most changes still read plainly: the comparison is not empty


_NAMES = ["ZHANG", "SAN", 0, 0]
_DOCUMENT = [0, "E1"]


def _leg(departs: int, arrives: int, *offsets: int, to: str = "PEK") -> list[Any]:
    return ["CA1", "PVG", to, departs, arrives, *offsets]


#: Claims at the ends of the calendar and of the zones' history, with whether they read.
EDGES = [
    # UTC past 9999 though the wall clock, two hours behind, is not
    (253402300799 - 30 * 60, [_leg(20, 20, 0, -120)], [], False),
    (253402300799 - 30 * 60, [], [[0, 40, 0, -600, "KOR"]], False),
    # UTC before year 1 though the wall clock, ten hours ahead, is not
    (-62135596800 + 30 * 60, [_leg(-40, 5, 600, 600)], [], False),
    # wall clock past 9999, UTC not
    (253402300799 - 30 * 60, [_leg(20, 0, 120, 120)], [], False),
    # Chicago in 1850: local mean time, 5:50:36 behind; a test after it has no offset in
    # minutes to be taken in, even when it gives its own
    (-3_786_825_600, [["UA1", "ORD", "SEA", 0, 60, None, -480]], [], True),
    (-3_786_825_600, [["UA1", "ORD", "SEA", 0, 60, None, -480]], [[0, 70, 0]], False),
    (-3_786_825_600, [["UA1", "ORD", "SEA", 0, 60, None, -480]], [[0, 70, 0, 60, "X"]], False),
]


@pytest.mark.parametrize(("issued_at", "legs", "tests", "reads"), EDGES)
def test_claims_at_the_ends_of_the_calendar_read_as_field_by_field(
    issued_at: int, legs: list[Any], tests: list[Any], reads: bool
) -> None:
    value = [1, 0, "ab", _NAMES, _DOCUMENT, None, legs, tests, [], [], ["Lab"]]
    claim.check_shape(value)
    assert isinstance(_careful(value, issued_at), dict) == reads
    plain = _agrees(value, issued_at)
    assert (plain is not None) == reads


def _positions(value: list[Any], at: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    """Every position in ``value`` and in the lists inside it, as the path of indexes to it."""
    found = []
    for index, item in enumerate(value):
        found.append((*at, index))
        if isinstance(item, list):
            found += _positions(item, (*at, index))
    return found


def _parent(value: list[Any], position: tuple[int, ...]) -> list[Any]:
    for index in position[:-1]:
        value = value[index]
    return value


def _mutations(value: list[Any], draw: st.DrawFn) -> list[Any]:
    """``value`` with a few of its values, anywhere in it, replaced, cut off or added to."""
    value = _copy(value)
    for _ in range(draw(st.integers(1, 3))):
        positions = _positions(value)
        if not positions:
            break
        position = draw(st.sampled_from(positions))
        parent, index = _parent(value, position), position[-1]
        action = draw(st.sampled_from(["set", "set", "cut", "add"]))
        if action == "set":
            parent[index] = _copy(draw(st.sampled_from(ODD_VALUES)))
        elif action == "cut":
            del parent[index:]
        else:
            parent.append(_copy(draw(st.sampled_from(ODD_VALUES))))
    return value


def _copy(value: Any) -> Any:
    return [_copy(item) for item in value] if isinstance(value, list) else value


@st.composite
def mutated_claims(draw: st.DrawFn) -> tuple[list[Any], int]:
    issued_at = draw(issued_ats)
    return _mutations(claim.encode(draw(records()), issued_at), draw), issued_at


@settings(max_examples=600, deadline=None)
@given(mutated_claims())
def test_any_claim_whose_shape_passes_reads_as_field_by_field(
    claim_and_issued: tuple[list[Any], int],
) -> None:
    value, issued_at = claim_and_issued
    try:
        claim.check_shape(value)
    except errors.SchemaInvalid:
        return
    _agrees(value, issued_at)
    careful = _careful(value, issued_at)
    try:
        shown: dict[str, Any] | str = claim.decode_json(value, issued_at, shape_checked=True)
    except errors.SchemaInvalid as error:
        shown = str(error.params["reason"])
    assert shown == careful


instants = st.integers(decode_module._FIRST_SECOND, decode_module._LAST_SECOND)


@settings(max_examples=500, deadline=None)
@given(instants, st.integers(-86399, 86399))
def test_an_instant_at_an_offset_is_written_as_json_moment_writes_it(
    instant: int, offset: int
) -> None:
    zone = timezone(timedelta(seconds=offset))
    try:
        expected = json_moment(datetime.fromtimestamp(instant, UTC).astimezone(zone))
    except (OverflowError, ValueError):  # the wall clock is past either end of the calendar
        with pytest.raises((OverflowError, ValueError)):
            decode_module._moment_text(instant, offset)
        return
    assert decode_module._moment_text(instant, offset) == expected


#: Instants around the clock changes of the benchmark's and the tests' airports, 2026.
CHANGES = [
    int(datetime(2026, month, day, hour, tzinfo=UTC).timestamp()) + delta
    for month, day, hour in [(3, 8, 10), (3, 29, 1), (10, 25, 1), (11, 1, 9), (4, 5, 16)]
    for delta in (-3601, -1, 0, 1, 1799, 3600)
]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.sampled_from(CHANGES), st.integers(-(3 * 10**9), 4 * 10**9)),
    st.sampled_from([*AIRPORTS, "ORD", "SEA"]),
)
def test_a_legs_time_at_its_airport_is_written_as_reading_it_in_its_zone(
    instant: int, airport: str
) -> None:
    zone = decode_module._airport_zone(airport)
    assert isinstance(zone, ZoneInfo)
    moment = datetime.fromtimestamp(instant, UTC).astimezone(zone)
    offset = decode_module._leg_offset(None, airport, instant)
    assert decode_module._moment_text(instant, offset) == json_moment(moment)
