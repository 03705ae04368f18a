"""Only China signs the record claim (-65537). A trust list also holds other countries' keys
(a German signer, for the EU DCCs an officer checks): such a key, with a genuine signature and
its own country as ``iss``, must not make a code carrying our record VALID. A German EU DCC
without the record verifies as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itdeclare.certificate import cwt, errors
from itdeclare.certificate.issue import issue_declaration
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import verify
from itdeclare.models import Declaration

from .conftest import (
    DECLARATION_ID,
    DURING,
    EXPIRES,
    ISSUED,
    KEYS_MADE,
    PASSPHRASE,
    claims_of,
    run,
    signed,
)
from .signers import TEST, dcc_only_code, limited_signer, one_test_dcc, trusted_together


@pytest.fixture
def german(tmp_path: Path) -> KeyStore:
    """Germany's signing keys (all three DCC key usages), trusted beside China's."""
    return KeyStore.init(tmp_path / "de-keys", PASSPHRASE, country="DE", now=KEYS_MADE)


@pytest.fixture
def both(keystore: KeyStore, german: KeyStore) -> TrustList:
    return trusted_together(keystore, german)


def german_record(maximal: Declaration, german: KeyStore) -> str:
    """Our record claim, signed by Germany's key in Germany's name."""
    return signed(claims_of(maximal, iss="DE"), german.signer())


def test_another_countrys_key_cannot_sign_the_record(
    maximal: Declaration, german: KeyStore, both: TrustList
) -> None:
    result = verify(german_record(maximal, german), trust_list=both, at=DURING)
    assert result.checks["signature"] is True  # genuine, and iss is the key's country…
    assert result.checks["issuer"] is False and not result.valid  # …but the record is CN's
    [error] = result.errors
    assert isinstance(error, errors.RecordIssuerOtherCountry)
    assert "only China (CN) issues" in error.message("en") and "DE" in error.message("en")
    assert "仅由中国（CN）签发" in error.message("zh") and "DE" in error.message("zh")


def test_issue_declaration_with_another_countrys_signer_is_refused(
    maximal: Declaration, german: KeyStore, both: TrustList
) -> None:
    code = issue_declaration(
        maximal,
        declaration_id=DECLARATION_ID,
        signer=german.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )
    result = verify(code, trust_list=both, at=DURING)
    assert result.checks["issuer"] is False and not result.valid


def test_a_german_test_only_key_cannot_sign_the_record_beside_a_dcc(
    maximal: Declaration, trust: TrustList
) -> None:
    signer, german_only = limited_signer([TEST], country="DE")
    claims = claims_of(maximal, iss="DE")
    claims[cwt.HCERT] = {cwt.DCC_V1: one_test_dcc(maximal, signer.issuer)}
    result = verify(
        signed(claims, signer), trust_list=TrustList(trust.keys + german_only.keys), at=DURING
    )
    assert result.checks["issuer"] is False and not result.valid
    assert any(isinstance(error, errors.RecordIssuerOtherCountry) for error in result.errors)


def test_a_german_eu_dcc_without_the_record_still_verifies(
    maximal: Declaration, trust: TrustList
) -> None:
    signer, german_only = limited_signer([TEST], country="DE")
    code = dcc_only_code(maximal, signer)
    result = verify(code, trust_list=TrustList(trust.keys + german_only.keys), at=DURING)
    assert result.valid, result.errors
    assert result.checks["issuer"] is True and result.signer_country == "DE"


def test_chinas_own_record_still_verifies_beside_a_german_key(code: str, both: TrustList) -> None:
    result = verify(code, trust_list=both, at=DURING)
    assert result.valid, result.errors
    assert result.checks["issuer"] is True and result.signer_country == "CN"


def test_verify_refuses_a_german_record_in_both_languages(
    maximal: Declaration,
    german: KeyStore,
    both: TrustList,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    trust_file = tmp_path / "both.json"
    trust_file.write_text(json.dumps(both.to_json()), "utf-8")
    code = german_record(maximal, german)
    argv = ["--trust-list", str(trust_file), "--at", DURING.isoformat()]
    status, out, _ = run(capsys, "verify", *argv, "--json", code)
    shown = json.loads(out)
    assert status == 1 and shown["valid"] is False and shown["checks"]["issuer"] is False
    assert any("only China (CN) issues" in error for error in shown["errors"])
    status, out, _ = run(capsys, "verify", "--lang", "zh", *argv, code)
    assert status == 1 and "仅由中国（CN）签发" in out
