"""A code's iat and exp must be times a date can hold: NaN, infinity or a number of seconds
beyond the years 1 to 9999 fails the cose step, whoever signed it, and no command dies on it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cbor2
import pytest

from itdeclare import cli
from itdeclare.certificate import cwt, errors
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.report import render
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import verify
from itdeclare.models import Declaration

from .conftest import DURING, KEYS_MADE, PASSPHRASE, claims_of, signed

NOT_TIMES = [float("nan"), float("inf"), float("-inf"), 1e20, 2**70, -1e15, -(2**70)]
NOT_TIME_IDS = ["nan", "inf", "-inf", "1e20", "2**70", "-1e15", "-2**70"]


@pytest.fixture
def stranger(tmp_path: Path) -> KeyStore:
    """A key no trust list holds: a forger needs none to send a code to a verifier."""
    return KeyStore.init(tmp_path / "stranger", PASSPHRASE, now=KEYS_MADE)


def _strict(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("claim_name", ["iat", "exp"])
@pytest.mark.parametrize("value", NOT_TIMES, ids=NOT_TIME_IDS)
@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "untrusted"])
def test_a_time_no_date_can_hold_fails_the_cose_step(
    maximal: Declaration,
    keystore: KeyStore,
    stranger: KeyStore,
    trust: TrustList,
    claim_name: str,
    value: float,
    trusted: bool,
) -> None:
    signer = (keystore if trusted else stranger).signer()
    result = verify(signed(claims_of(maximal, **{claim_name: value}), signer), trust_list=trust)
    assert result.checks["cose"] is False and not result.valid
    assert result.checks["signature"] is None  # nothing after the claims is reached
    assert [type(error) for error in result.errors] == [errors.CwtTimeInvalid]
    assert claim_name in result.errors[0].message("en")
    assert claim_name in result.errors[0].message("zh")
    assert _strict(json.dumps(result.to_json()))["payload"] is None
    assert "NOT VALID" in render(result) or "健康码无效" in render(result)


@pytest.mark.parametrize(
    "value",
    [cbor2.CBORTag(0, "0001-01-01T00:00:00+01:00"), cbor2.CBORTag(0, "9999-12-31T23:59:59-01:00")],
    ids=["before year 1 in UTC", "after 9999 in UTC"],
)
def test_a_tagged_date_whose_zone_takes_it_out_of_range_is_not_a_time(
    maximal: Declaration, keystore: KeyStore, trust: TrustList, value: cbor2.CBORTag
) -> None:
    result = verify(signed(claims_of(maximal, iat=value), keystore.signer()), trust_list=trust)
    assert [type(error) for error in result.errors] == [errors.CwtTimeInvalid]


@pytest.mark.parametrize(
    "seconds",
    [-62135596800, -62135596800.5 + 1, 253402300799, 253402300799.5, 0, 1.5],
    ids=["first second of year 1", "within it", "last second of 9999", "within it", "0", "1.5"],
)
def test_every_time_a_date_can_hold_is_a_time(seconds: float) -> None:
    claims = cwt.parse(cbor2.dumps({cwt.IAT: seconds, cwt.EXP: seconds}))
    assert claims.issued_at == seconds and claims.expires_at == seconds


def test_every_command_answers_for_such_a_code(
    maximal: Declaration,
    keystore: KeyStore,
    stranger: KeyStore,
    trust: TrustList,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    trust_file = tmp_path / "trust.json"
    trust_file.write_text(json.dumps(trust.to_json()), "utf-8")
    good = signed(claims_of(maximal), keystore.signer())
    crafted = [
        signed(claims_of(maximal, **{name: value}), stranger.signer())
        for name in ("iat", "exp")
        for value in NOT_TIMES
    ]
    source = tmp_path / "codes.txt"
    source.write_text("\n".join([good, *crafted, good]) + "\n", "utf-8")
    status = cli.main(["verify", "--jsonl", str(source), "--trust-list", str(trust_file),
                       "--at", DURING.isoformat()])  # fmt: skip
    answers = [_strict(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1 and len(answers) == len(crafted) + 2
    assert answers[0]["valid"] and answers[-1]["valid"]  # the lines around them are kept
    assert all(answer["checks"]["cose"] is False for answer in answers[1:-1])

    for argv in (["verify", "--json"], ["verify"], ["import-test"], ["import-test", "--json"]):
        for code in crafted:
            assert cli.main([*argv, "--trust-list", str(trust_file), code]) == 1
            out = capsys.readouterr().out
            if "--json" in argv:
                _strict(out)
