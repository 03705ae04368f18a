"""Key usage binds the full record too: a document signer certificate limited by its extended
key usage to some EU DCC types (a lab's test-only signer) cannot sign claim -65537, which
vouches for the holder's tests, vaccinations and recoveries at once. A certificate allowed all
three, or not limited at all, can; the signers ``itdeclare keys`` makes carry all three."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from itdeclare.certificate import errors
from itdeclare.certificate.issue import issue_declaration
from itdeclare.certificate.keys import KeyStore, Signer
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import Verification, verify
from itdeclare.models import Declaration

from .conftest import DECLARATION_ID, DURING, EXPIRES, ISSUED, KEYS_MADE, run
from .signers import (
    RECOVERY,
    SERVER_AUTH,
    TEST,
    TEST_OTHER_SPELLING,
    VACCINATION,
    dcc_only_code,
    limited_signer,
)


def declaration_code(maximal: Declaration, signer: Signer) -> str:
    return issue_declaration(
        maximal,
        declaration_id=DECLARATION_ID,
        signer=signer,
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )


def checked(maximal: Declaration, usages: Sequence[str] | None) -> Verification:
    signer, trust = limited_signer(usages)
    return verify(declaration_code(maximal, signer), trust_list=trust, at=DURING)


@pytest.mark.parametrize(
    ("usages", "allowed"),
    [
        ([TEST], ["test"]),
        ([TEST_OTHER_SPELLING], ["test"]),
        ([TEST, VACCINATION], ["test", "vaccination"]),
        ([VACCINATION, RECOVERY], ["vaccination", "recovery"]),
        ([SERVER_AUTH], []),
    ],
    ids=["test", "test-other-spelling", "test-vaccination", "vaccination-recovery", "none"],
)
def test_a_certificate_limited_to_some_types_cannot_sign_the_full_record(
    maximal: Declaration, usages: list[str], allowed: list[str]
) -> None:
    result = checked(maximal, usages)
    assert result.checks["signature"] is True and result.checks["issuer"] is True
    assert result.checks["key_usage"] is False and not result.valid
    [error] = result.errors
    assert isinstance(error, errors.KeyUsageRecordDenied)
    assert error.params["allowed"] == allowed
    assert "full health record" in error.message("en")
    assert "完整健康记录" in error.message("zh")


def test_the_refusal_names_what_the_certificate_allows_in_either_language(
    maximal: Declaration,
) -> None:
    [error] = checked(maximal, [TEST, VACCINATION]).errors
    assert "(test, vaccination)" in error.message("en")
    assert "（检测、疫苗接种）" in error.message("zh")
    [nothing] = checked(maximal, [SERVER_AUTH]).errors
    assert "(none)" in nothing.message("en") and "（无）" in nothing.message("zh")


@pytest.mark.parametrize(
    "usages",
    [[TEST, VACCINATION, RECOVERY], [RECOVERY, TEST_OTHER_SPELLING, VACCINATION], None],
    ids=["all-three", "all-three-mixed-spellings", "no-extension"],
)
def test_a_certificate_allowed_every_type_signs_the_full_record(
    maximal: Declaration, usages: list[str] | None
) -> None:
    result = checked(maximal, usages)
    assert result.valid, result.errors
    assert result.checks["key_usage"] is True


def test_the_key_stores_own_signers_may_sign_the_full_record(
    maximal: Declaration, keystore: KeyStore, trust: TrustList
) -> None:
    [entry] = trust.keys
    assert entry.allowed_types == {"t", "v", "r"} and entry.allows_record()
    code = declaration_code(maximal, keystore.signer())
    result = verify(code, trust_list=trust, at=DURING)
    assert result.valid and result.checks["key_usage"] is True
    rotated = keystore.rotate(now=KEYS_MADE + timedelta(days=1))
    both = TrustList.from_json(keystore.trust_list(at=DURING))
    again = verify(declaration_code(maximal, rotated), trust_list=both, at=DURING)
    assert again.valid and again.checks["key_usage"] is True


def test_a_test_only_certificate_still_signs_an_eu_test_certificate(
    maximal: Declaration,
) -> None:
    signer, trust = limited_signer([TEST])
    result = verify(dcc_only_code(maximal, signer), trust_list=trust, at=DURING)
    assert result.valid, result.errors
    assert result.checks["key_usage"] is True


def test_verify_json_refuses_a_record_signed_by_a_test_only_certificate(
    maximal: Declaration, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signer, trust = limited_signer([TEST])
    trust_file = tmp_path / "trust.json"
    trust_file.write_text(json.dumps(trust.to_json()), "utf-8")
    code = declaration_code(maximal, signer)
    argv = ["--trust-list", str(trust_file), "--at", DURING.isoformat()]
    status, out, _ = run(capsys, "verify", *argv, "--json", code)
    shown = json.loads(out)
    assert status == 1 and shown["valid"] is False
    assert shown["checks"]["key_usage"] is False
    assert any("full health record" in error for error in shown["errors"])
    status, out, _ = run(capsys, "verify", "--lang", "zh", *argv, code)
    assert status == 1 and "完整健康记录" in out
