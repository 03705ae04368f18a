"""The ``verify --json`` object is built with shortcuts (``json_safe`` answers plain values
without a call, the no-revocation-list warning is worded once a language, a code's times are
written without datetimes): each gives what the plain reading of its rule gives, for any
value and in each language."""

from __future__ import annotations

import base64
import importlib
import json
import math
from datetime import UTC, date, datetime
from enum import IntEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itdeclare import i18n
from itdeclare.certificate import errors
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import json_safe, verify

from .conftest import DURING

#: The module, not the function of the same name that ``verify`` exports.
verify_module = importlib.import_module("itdeclare.certificate.verify")


class Level(IntEnum):
    LOW = 1


class Text(str):
    """A text of a type of its own: written as its text, keys and values alike."""


def _as_the_rule_says(value: Any) -> Any:
    """``json_safe``'s rule, read plainly: byte strings in base64, datetimes as ISO text, keys
    as text, NaN and the infinities as text, texts and integers and booleans as they are,
    anything else as its ``str``."""
    if isinstance(value, dict):
        return {str(key): _as_the_rule_says(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_the_rule_says(item) for item in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return value if math.isfinite(value) else ("Infinity" if value > 0 else "-Infinity")
    if value is None or isinstance(value, (str, int)):
        return value
    return str(value)


leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=5),
    st.binary(max_size=5),
    st.builds(Text, st.text(max_size=3)),
    st.just(Level.LOW),
    st.datetimes(timezones=st.just(UTC)),
    st.dates(),
)
keys = st.one_of(
    st.text(max_size=4), st.integers(), st.booleans(), st.floats(allow_nan=False), st.none(),
    st.builds(Text, st.text(max_size=3)), st.binary(max_size=3),
)  # fmt: skip
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(keys, inner, max_size=4),
    ),
    max_leaves=20,
)


def _typed(value: Any) -> Any:
    """``value`` with every type named, so that equal values of other types differ."""
    if isinstance(value, dict):
        return [(type(key), key, _typed(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return type(value), repr(value)


@settings(max_examples=500, deadline=None)
@given(values)
def test_json_safe_gives_what_its_rule_gives(value: Any) -> None:
    assert _typed(json_safe(value)) == _typed(_as_the_rule_says(value))


def test_dates_and_a_date_keyed_map_are_text() -> None:
    day = date(2021, 6, 1)
    assert json_safe({day: day, "at": datetime(2021, 6, 1, tzinfo=UTC)}) == {
        "2021-06-01": "2021-06-01",
        "at": "2021-06-01T00:00:00+00:00",
    }


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_no_revocation_list_warning_is_worded_in_the_language_of_the_moment(
    code: str, trust: TrustList, language: i18n.Language
) -> None:
    i18n.set_language(language)
    try:
        shown = [verify(code, trust_list=trust, at=DURING).to_json() for _ in range(2)]
        expected = errors.NoRevocationList().to_json()
    finally:
        i18n.set_language("en")
    assert shown[0]["warnings"] == shown[1]["warnings"] == [expected]
    assert expected["message"] == i18n.t("certificate.warning.no_revocation_list", language)
    shown[0]["warnings"][0]["message"] = "changed"  # each result holds a warning of its own
    assert shown[1]["warnings"] == [expected]
    assert json.dumps(shown[1]["warnings"], ensure_ascii=False) == json.dumps(
        [expected], ensure_ascii=False
    )


epochs = st.one_of(
    st.integers(-(2**40), 2**40),
    st.sampled_from([0, -1, 253402300799, 253402300800, -62135596800, -62135596801, True]),
    st.floats(-1e12, 1e12),
    st.floats(),
    st.none(),
)


@settings(max_examples=500, deadline=None)
@given(epochs)
def test_a_codes_times_are_written_as_their_datetimes_write_them(epoch: Any) -> None:
    assert verify_module._epoch_text(epoch) == verify_module._iso(verify_module._moment(epoch))
