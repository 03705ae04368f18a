"""The record in ``verify --json``: read once the schema check has passed, refused before.

A verification whose schema check passed reads the record claim into JSON without checking
its shape again; one whose record claim has a broken shape shows no record (and fails the
schema check), whatever the shape is.
"""

from __future__ import annotations

from typing import Any

import cbor2
import pytest

from itdeclare.certificate import claim, cose, cwt, hc1
from itdeclare.certificate.issue import declaration_record, issue_declaration
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.record import RECORD_CLAIM
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import verify
from itdeclare.models import Declaration

from .conftest import DECLARATION_ID, DURING, EXPIRES, ISSUED


def test_a_valid_codes_record_is_the_claim_read_into_json(
    keystore: KeyStore, trust: TrustList, maximal: Declaration
) -> None:
    code = issue_declaration(
        maximal,
        declaration_id=DECLARATION_ID,
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )
    result = verify(code, trust_list=trust, at=DURING)
    assert result.valid and result.checks["schema"] is True
    expected = declaration_record(maximal, DECLARATION_ID).to_json()
    assert result.to_json()["payload"]["record"] == expected
    assert result.claims is not None
    iat = result.claims.issued_at or 0
    assert claim.decode_json(result.claims.record, iat) == expected  # shape checked again


@pytest.mark.parametrize(
    "record",
    [{"not": "a list"}, [], [2], [1, 0], [1, 0, b"\x01", "holder", []], "text", 7],
    ids=["map", "empty", "version", "no-reference", "holder-not-a-list", "text", "number"],
)
def test_a_record_claim_of_broken_shape_shows_no_record(
    keystore: KeyStore, trust: TrustList, record: Any
) -> None:
    signer = keystore.signer()
    claims = {
        cwt.ISS: signer.country,
        cwt.IAT: int(ISSUED.timestamp()),
        cwt.EXP: int(EXPIRES.timestamp()),
        RECORD_CLAIM: record,
    }
    code = hc1.encode(cose.sign_es256(cbor2.dumps(claims), signer.private_key, signer.kid))
    result = verify(code, trust_list=trust, at=DURING)
    shown = result.to_json()
    assert result.checks["schema"] is False and not shown["valid"]
    assert shown["payload"]["record"] is None
    assert result.record is None
