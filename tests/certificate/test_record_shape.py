"""A VALID code always has a record to show: a record claim that is malformed (even signed by a
trusted key) fails the schema check, naming the field, whether the shape check sees it on
every scan or only reading the record in full does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itdeclare import cli
from itdeclare.certificate import claim, errors
from itdeclare.certificate.claim.keys import RECORD_FIELDS, Record
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.record import RECORD_CLAIM
from itdeclare.certificate.report import render
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import Verification, verify

from .conftest import DURING, KEYS_MADE, PASSPHRASE, claims_of, load_declaration, signed


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> KeyStore:
    """One key store for the module (hypothesis examples cannot take per-test fixtures)."""
    return KeyStore.init(tmp_path_factory.mktemp("keys") / "keys", PASSPHRASE, now=KEYS_MADE)


@pytest.fixture(scope="module")
def claims() -> dict[int, Any]:
    """The claims of the maximal returnee record: every field of the record present."""
    return claims_of(load_declaration("maximal_returnee.json"))


def with_record(claims: dict[int, Any], change: dict[int, Any]) -> dict[int, Any]:
    """``claims`` whose record has the fields at the positions of ``change`` replaced."""
    record = list(claims[RECORD_CLAIM])
    for index, value in change.items():
        record[index] = value
    return {**claims, RECORD_CLAIM: record}


def verified(claims: dict[int, Any], store: KeyStore) -> Verification:
    trust = TrustList.from_json(store.trust_list())
    return verify(signed(claims, store.signer()), trust_list=trust, at=DURING)


def schema_reasons(result: Verification) -> list[str]:
    return [e.message("en") for e in result.errors if isinstance(e, errors.SchemaInvalid)]


def test_vaccinations_that_are_not_a_list_fail_the_schema_check(
    claims: dict[int, Any], store: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = with_record(claims, {Record.VACCINATIONS: b""})
    result = verified(broken, store)
    assert result.checks["schema"] is False and not result.valid
    assert schema_reasons(result) == [
        "The certificate content is malformed (record: vaccinations)."
    ]

    trust_file = tmp_path / "trust.json"
    trust_file.write_text(json.dumps(store.trust_list()), "utf-8")
    code = signed(broken, store.signer())
    at = ["--trust-list", str(trust_file), "--at", DURING.isoformat()]
    assert cli.main(["verify", "--json", *at, code]) == 1
    shown = json.loads(capsys.readouterr().out)
    assert shown["valid"] is False and shown["checks"]["schema"] is False
    assert cli.main(["--lang", "en", "verify", *at, code]) == 1
    assert capsys.readouterr().out.startswith("NOT VALID")


#: For each top-level field, values of types the reading cannot take it for.
WRONG_TYPES: list[tuple[int, Any]] = [
    *((Record.HOLDER, value) for value in (b"", 0, "x", {}, None, 1.5)),
    *((Record.DOCUMENT, value) for value in (b"", 0, "x", {}, None, True)),
    *((Record.PORT, value) for value in (0, [], {}, 1.5, True)),
    *(
        (index, value)
        for index in (Record.LEGS, Record.TESTS, Record.VACCINATIONS, Record.HISTORY)
        for value in (b"", 0, "x", {}, [1], [b""], [[], {}], True)
    ),
    *((Record.PLACES, value) for value in (b"", 0, "x", {}, True)),
]


@pytest.mark.parametrize(
    ("index", "value"), WRONG_TYPES, ids=[f"{RECORD_FIELDS[i]}={v!r}" for i, v in WRONG_TYPES]
)
def test_a_field_of_the_wrong_type_fails_on_every_scan(
    claims: dict[int, Any], store: KeyStore, index: int, value: Any
) -> None:
    result = verified(with_record(claims, {index: value}), store)
    # failed by verify() itself, before anyone reads the record or asks for the verdict
    assert result.checks["schema"] is False
    assert schema_reasons(result) == [
        f"The certificate content is malformed (record: {RECORD_FIELDS[index]})."
    ]
    assert not result.valid and result.record is None


@pytest.mark.parametrize(
    ("index", "value", "reason"),
    [
        (Record.VACCINATIONS, [[b""]], "record: vaccinations: 0"),
        (Record.HOLDER, ["ZHANG", "SAN", 7, 0, None, "USA"], "record: holder: 2"),
        (Record.TESTS, [[0, 0, 99]], "record: tests: test"),
        (Record.HISTORY, [[0, 2**80]], "record: history"),
    ],
    ids=["dose product", "holder sex", "test institution", "episode date"],
)
@pytest.mark.parametrize("first", ["verdict", "json", "record", "report"])
def test_a_record_that_only_fails_when_read_in_full_is_not_valid(
    claims: dict[int, Any], store: KeyStore, index: int, value: Any, reason: str, first: str
) -> None:
    """The shape check passes such a record (its outline is right); whatever is asked of the
    verification first, the verdict is NOT VALID, the schema check false, and said once."""
    result = verified(with_record(claims, {index: value}), store)
    assert result.checks["schema"] is True  # what the scan alone saw
    asked = {
        "verdict": lambda: result.valid,
        "json": result.to_json,
        "record": lambda: result.record,
        "report": lambda: render(result),
    }
    asked[first]()
    shown = result.to_json()
    assert shown["valid"] is False and shown["checks"]["schema"] is False
    assert shown["payload"]["record"] is None and result.record is None
    [message] = schema_reasons(result)
    assert reason in message
    assert render(result).startswith("NOT VALID")


#: CBOR values of any type, nested a little: what a forger may put in any field.
ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats()
    | st.text(max_size=8)
    | st.binary(max_size=8),
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    index=st.integers(min_value=Record.HOLDER, max_value=Record.PLACES),
    inner=st.none() | st.integers(min_value=0, max_value=6),
    value=ANY_VALUE,
)
def test_valid_always_means_a_record_to_show(
    claims: dict[int, Any], store: KeyStore, index: int, inner: int | None, value: Any
) -> None:
    """Any field, or any item of a field, replaced by any value: the verification never
    raises, and a VALID code reads in full, in JSON and for the report."""
    record = claims[RECORD_CLAIM]
    replaced = value
    if inner is not None and isinstance(record[index], list) and inner < len(record[index]):
        replaced = [*record[index][:inner], value, *record[index][inner + 1 :]]
    result = verified(with_record(claims, {index: replaced}), store)
    shown = result.to_json()
    render(result)
    if result.valid:
        assert shown["payload"]["record"] is not None and result.record is not None
        assert shown["payload"]["record"] == claim.decode_json(record_of(result), iat(result))
    else:
        assert shown["valid"] is False


def record_of(result: Verification) -> Any:
    assert result.claims is not None
    return result.claims.record


def iat(result: Verification) -> float:
    assert result.claims is not None and result.claims.issued_at is not None
    return result.claims.issued_at
