"""The DCC schema check's quick acceptance never differs from its step-by-step reading.

``dcc.check`` first tries every field group at once and only reads a payload step by step
(``_problem``, which names the reason) when that says no. Here both readings meet the EU test
vectors' payloads with fields changed, removed and added, and must give the same verdict.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itdeclare.certificate import dcc, errors
from tests.conftest import SHARED_DIR

VECTOR_DIR = SHARED_DIR / "testdata" / "dcc"


def _payloads() -> list[dict[str, Any]]:
    found = []
    for path in sorted(VECTOR_DIR.rglob("*.json")) if VECTOR_DIR.is_dir() else []:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("JSON"), dict):
            found.append(data["JSON"])
    return found


PAYLOADS = _payloads()
#: Values the schema accepts in some field and refuses in others.
VALUES = st.sampled_from(
    [None, "", "X", "CN", "XK", "ZZ", "cn", 0, 1, -1, True, 2.0, [], {}, "A" * 81, "ZHANG",
     "zhang", "ZH<ANG", "1.3.0", "1.3", "1990", "1990-01", "2190-01-01", "2021-06-01",
     "2021-06-01T10:00:00Z", "2021-06-01T10:00:00", "2021-13-01"]
)  # fmt: skip
ABSENT = object()
NAME_PARTS = st.sampled_from(["fn", "gn", "fnt", "gnt"])
ENTRY_KEYS = st.sampled_from(
    ["tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci", "tt", "sc", "tr", "nm", "tc",
     "fr", "df", "du", "xx"]
)  # fmt: skip
TOP_KEYS = st.sampled_from(["ver", "dob", "nam", "v", "t", "r"])
CHANGE = st.one_of(VALUES, st.just(ABSENT))


def _verdict(payload: Any) -> str | None:
    try:
        dcc.check(payload)
    except errors.SchemaInvalid as error:
        return str(error.params["reason"])
    return None


def _set(target: dict[str, Any], key: str, value: Any) -> None:
    if value is ABSENT:
        target.pop(key, None)
    else:
        target[key] = value


@pytest.mark.skipif(not PAYLOADS, reason="the EU DCC test vectors are not there")
@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(range(max(len(PAYLOADS), 1))),
    st.lists(
        st.one_of(
            st.tuples(st.just("entry"), ENTRY_KEYS, CHANGE),
            st.tuples(st.just("nam"), NAME_PARTS, CHANGE),
            st.tuples(st.just("top"), TOP_KEYS, CHANGE),
        ),
        max_size=3,
    ),
)
def test_the_quick_check_gives_the_verdict_of_the_step_by_step_one(
    index: int, changes: list[tuple[str, str, Any]]
) -> None:
    payload = copy.deepcopy(PAYLOADS[index])
    for where, key, value in changes:
        kind = dcc.entry_type(payload)
        entries = payload.get(kind) if kind is not None else None
        if where == "entry" and isinstance(entries, list) and entries:
            if isinstance(entries[0], dict):
                _set(entries[0], key, value)
        elif where == "nam" and isinstance(payload.get("nam"), dict):
            _set(payload["nam"], key, value)
        elif where == "top":
            _set(payload, key, value)
    assert _verdict(payload) == dcc._problem(payload)


def test_the_vectors_valid_payloads_pass_the_quick_check() -> None:
    passing = [payload for payload in PAYLOADS if dcc._problem(payload) is None]
    assert all(dcc._entry_fits(payload) for payload in passing)
    assert not PAYLOADS or passing


@given(st.text(alphabet=st.sampled_from("AZ<az 0-ÄÉ\n\t\u0391"), max_size=12) | st.text(max_size=8))
def test_stripping_the_standard_letters_reads_a_standardised_name_as_its_pattern_does(
    text: str,
) -> None:
    assert (not text.strip(dcc._STANDARD_LETTERS)) == bool(dcc._STANDARD_NAME.fullmatch(text))
