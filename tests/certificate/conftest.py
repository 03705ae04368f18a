"""Fixtures of the certificate tests: a key store under tmp_path, its trust list, records."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cbor2
import pytest

from itdeclare import cli
from itdeclare.certificate import claim, cose, cwt, hc1
from itdeclare.certificate.issue import declaration_record, issue_declaration
from itdeclare.certificate.keys import KeyStore, Signer
from itdeclare.certificate.record import RECORD_CLAIM
from itdeclare.certificate.trust import TrustList
from itdeclare.models import Declaration, validate_declaration

HERE = Path(__file__).parent
PASSPHRASE = b"correct horse battery staple"
ISSUED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
EXPIRES = ISSUED + timedelta(days=7)
DURING = ISSUED + timedelta(hours=2)
#: When the test key stores are made: before the codes the tests issue, so their signer
#: certificates are valid when those codes are signed.
KEYS_MADE = ISSUED - timedelta(days=30)
DECLARATION_ID = "019ad3f2c4e19a7d4e2b8c1a12345678"


@pytest.fixture
def keystore(tmp_path: Path) -> KeyStore:
    return KeyStore.init(tmp_path / "keys", PASSPHRASE, now=KEYS_MADE)


@pytest.fixture
def trust(keystore: KeyStore) -> TrustList:
    return TrustList.from_json(keystore.trust_list())


def load_declaration(name: str) -> Declaration:
    report = validate_declaration(json.loads((HERE / name).read_text("utf-8")))
    assert report.declaration is not None, report.problems
    return report.declaration


@pytest.fixture
def maximal() -> Declaration:
    """3 legs, 2 nucleic-acid tests, IgM and IgG, 3 vaccinations, an earlier diagnosis."""
    return load_declaration("maximal_returnee.json")


@pytest.fixture
def code(keystore: KeyStore, maximal: Declaration) -> str:
    """The maximal declaration's code, signed by the key store's signer, valid at DURING."""
    return issue_declaration(
        maximal,
        declaration_id=DECLARATION_ID,
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )


@pytest.fixture
def trust_file(keystore: KeyStore, tmp_path: Path) -> Path:
    """The key store's trust list, in a file."""
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(keystore.trust_list()), "utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``itdeclare ARGV`` in this process: its exit status, standard output and error."""
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def claims_of(declaration: Declaration, **overrides: Any) -> dict[int, Any]:
    """The CWT claims our issuer would write, with ``overrides`` (None removes a claim)."""
    iat = int(ISSUED.timestamp())
    record = declaration_record(declaration, DECLARATION_ID)
    claims: dict[int, Any] = {
        cwt.ISS: "CN",
        cwt.IAT: iat,
        cwt.EXP: int(EXPIRES.timestamp()),
        RECORD_CLAIM: claim.encode(record, iat),
    }
    names = {"iss": cwt.ISS, "iat": cwt.IAT, "exp": cwt.EXP}
    for name, value in overrides.items():
        if value is None:
            claims.pop(names[name])
        else:
            claims[names[name]] = value
    return claims


def signed(claims: dict[int, Any], signer: Signer) -> str:
    return hc1.encode(cose.sign_es256(cbor2.dumps(claims), signer.private_key, signer.kid))
