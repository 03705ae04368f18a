"""Document signers made for the certificate tests: limited by extended key usage, of any
country, and the codes they sign."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier

from itdeclare.certificate import cose, cwt, dcc, hc1
from itdeclare.certificate.issue import declaration_record
from itdeclare.certificate.keys import KeyStore, Signer
from itdeclare.certificate.trust import TrustList, kid_of
from itdeclare.models import Declaration

from .conftest import DECLARATION_ID, EXPIRES, ISSUED, KEYS_MADE

TEST, VACCINATION, RECOVERY = (f"1.3.6.1.4.1.1847.2021.1.{n}" for n in (1, 2, 3))
#: Another spelling of the test OID, found in some countries' certificates.
TEST_OTHER_SPELLING = "1.3.6.1.4.1.0.1847.2021.1.1"
SERVER_AUTH = "1.3.6.1.5.5.7.3.1"


def trusted_together(*stores: KeyStore) -> TrustList:
    """One trust list of every store's keys: several countries' signers trusted at once."""
    return TrustList(
        [key for store in stores for key in TrustList.from_json(store.trust_list()).keys]
    )


def limited_signer(
    usages: Sequence[str] | None, country: str = "CN", *, ends: datetime | None = None
) -> tuple[Signer, TrustList]:
    """A document signer of ``country`` whose certificate carries the extended key usages
    ``usages`` (no such extension for None), valid from KEYS_MADE to ``ends`` (by default two
    years later), and a trust list holding it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{country} DSC limited"),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(KEYS_MADE)
        .not_valid_after(ends or KEYS_MADE + timedelta(days=730))
    )
    if usages is not None:
        oids = [ObjectIdentifier(usage) for usage in usages]
        builder = builder.add_extension(x509.ExtendedKeyUsage(oids), critical=False)
    certificate = builder.sign(key, hashes.SHA256())
    der = certificate.public_bytes(serialization.Encoding.DER)
    signer = Signer(key, certificate, kid_of(der), country, "Test issuer")
    return signer, TrustList.of_certificates([der], country)


def one_test_dcc(maximal: Declaration, issuer: str) -> dict[str, Any]:
    """An EU DCC test entry: the declaration's first test."""
    record = declaration_record(maximal, DECLARATION_ID)
    single = dataclasses.replace(record, tests=record.tests[:1], vaccinations=(), history=())
    payload = dcc.build(single, issuer)
    assert payload is not None and dcc.entry_type(payload) == "t"
    return payload


def dcc_only_code(maximal: Declaration, signer: Signer) -> str:
    """A code in the signer's country's name holding an EU DCC test entry and no record."""
    payload = one_test_dcc(maximal, signer.issuer)
    claims = {
        cwt.ISS: signer.country,
        cwt.IAT: int(ISSUED.timestamp()),
        cwt.EXP: int(EXPIRES.timestamp()),
        cwt.HCERT: {cwt.DCC_V1: payload},
    }
    return hc1.encode(cose.sign_es256(cbor2.dumps(claims), signer.private_key, signer.kid))
