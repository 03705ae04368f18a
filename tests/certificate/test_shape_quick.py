"""The record's shape check accepts the head of a record (version, kind, reference, holder,
document) in one step when it is made of plain lists, texts and integers, and otherwise reads
it field by field to name the reason: both readings give the same verdict on any value."""

from __future__ import annotations

import importlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from itdeclare.certificate import claim, errors

#: The module, not the function of the same name that ``claim`` exports.
decode_module = importlib.import_module("itdeclare.certificate.claim.decode")

#: Values some position of a record takes and others refuse.
VALUES = st.sampled_from(
    [None, True, False, 0, 1, 2, -1, 1.0, "", "ab12", b"", b"\x01\x9a", [], [[]], [1], [[1]],
     {}, (1,)]
)  # fmt: skip
RECORDS = st.one_of(st.lists(VALUES, max_size=11), VALUES)
HEADS = st.tuples(
    st.sampled_from([1, 1.0, True, 0, 2, None]),
    st.sampled_from([0, 1, 2, -1, True, False, 1.0, None, "1"]),
    st.sampled_from(["ab12", "", b"\x01", b"", None, 7, ["x"]]),
    st.sampled_from([[], ["ZHANG"], None, (), "x"]),
    st.sampled_from([[], [0, b"\x01"], None, b"", {}]),
)


def _verdict(value: Any) -> str | None:
    try:
        claim.check_shape(value)
    except errors.SchemaInvalid as error:
        return str(error.params["reason"])
    return None


def _step_by_step(value: Any) -> str | None:
    saved = decode_module._head_fits
    decode_module._head_fits = lambda value: False
    try:
        return _verdict(value)
    finally:
        decode_module._head_fits = saved


@given(RECORDS)
def test_any_value_gets_the_verdict_of_the_field_by_field_reading(value: Any) -> None:
    assert _verdict(value) == _step_by_step(value)


@given(HEADS, st.lists(VALUES, max_size=6))
def test_record_heads_get_the_verdict_of_the_field_by_field_reading(
    head: tuple[Any, ...], rest: list[Any]
) -> None:
    value = [*head, *rest]
    assert _verdict(value) == _step_by_step(value)
    if decode_module._head_fits(value):
        decode_module._check_head(value)  # the quick reading accepts nothing this refuses
