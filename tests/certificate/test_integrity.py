"""The verifier cannot be fooled: forgeries by another trusted country, foreign revocation
lists, expired signers, codes without an end, zlib bombs, smuggled bytes, and (the other way
round) real ES256 codes signed with P-384 keys, which must verify."""

from __future__ import annotations

import dataclasses
import tracemalloc
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import cbor2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID
from hypothesis import given
from hypothesis import strategies as st

from itdeclare import i18n
from itdeclare.certificate import cose, errors, hc1, revocation
from itdeclare.certificate.issue import (
    declaration_certificate_id,
    issue_declaration,
)
from itdeclare.certificate.keys import KeyStore, Signer
from itdeclare.certificate.report import render
from itdeclare.certificate.trust import TrustList, kid_of, trusted_certificate
from itdeclare.certificate.verify import MAX_LIFETIME_S, verify
from itdeclare.models import Declaration

from .conftest import (
    DECLARATION_ID,
    DURING,
    EXPIRES,
    ISSUED,
    KEYS_MADE,
    PASSPHRASE,
    claims_of,
    signed,
)
from .signers import dcc_only_code, trusted_together


@pytest.fixture
def other_country(tmp_path: Path) -> KeyStore:
    """A second country's signing keys, trusted beside China's in one list."""
    return KeyStore.init(tmp_path / "pl-keys", PASSPHRASE, country="PL", now=KEYS_MADE)


@pytest.fixture
def both(keystore: KeyStore, other_country: KeyStore) -> TrustList:
    return trusted_together(keystore, other_country)


# --- the issuer is the signing key's country ---------------------------------------------------


def test_a_code_in_chinas_name_signed_by_another_countrys_key_is_refused(
    maximal: Declaration, other_country: KeyStore, both: TrustList
) -> None:
    forged = signed(claims_of(maximal, iss="CN"), other_country.signer())
    result = verify(forged, trust_list=both, at=DURING)
    assert result.checks["signature"] is True  # the signature itself is genuine…
    assert result.checks["issuer"] is False  # …but PL cannot speak for CN
    assert not result.valid
    assert any(isinstance(error, errors.IssuerMismatch) for error in result.errors)
    assert result.to_json()["checks"]["issuer"] is False


def test_the_report_names_the_signers_country_not_the_claimed_one(
    maximal: Declaration, other_country: KeyStore, both: TrustList
) -> None:
    forged = signed(claims_of(maximal, iss="CN"), other_country.signer())
    text = render(verify(forged, trust_list=both, at=DURING))
    assert "(CN)" not in text
    assert "(PL)" in text
    assert "issued by CN, but the key that signed it belongs to PL" in text


def test_each_country_still_verifies_its_own_codes(
    maximal: Declaration, keystore: KeyStore, other_country: KeyStore, both: TrustList
) -> None:
    """China's record code, and Poland's EU DCC (only China signs the record claim:
    test_record_issuer.py)."""
    chinese = issue_declaration(
        maximal,
        declaration_id=DECLARATION_ID,
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )
    polish = dcc_only_code(maximal, other_country.signer())
    for code, country in ((chinese, "CN"), (polish, "PL")):
        result = verify(code, trust_list=both, at=DURING)
        assert result.valid, result.errors
        assert result.checks["issuer"] is True
        assert result.signer_country == country


def test_a_key_without_a_country_cannot_vouch_for_an_issuer(
    maximal: Declaration, keystore: KeyStore
) -> None:
    signer = keystore.signer()
    der = signer.certificate.public_bytes(serialization.Encoding.DER)
    bare = TrustList((dataclasses.replace(trusted_certificate(der), country=None),))
    result = verify(signed(claims_of(maximal), signer), trust_list=bare, at=DURING)
    assert result.checks["issuer"] is False and not result.valid


def test_an_expired_signing_certificate_cannot_sign_new_codes(
    tmp_path: Path, maximal: Declaration
) -> None:
    old = KeyStore.init(tmp_path / "old", PASSPHRASE, now=ISSUED - timedelta(days=3 * 365))
    signer = old.signer()
    assert signer.certificate.not_valid_after_utc < ISSUED
    trust = TrustList.of_certificates(
        [signer.certificate.public_bytes(serialization.Encoding.DER)], "CN"
    )
    result = verify(signed(claims_of(maximal), signer), trust_list=trust, at=DURING)
    assert result.checks["signature"] is True
    assert result.checks["issuer"] is False and not result.valid
    assert any(isinstance(error, errors.SignerNotValidThen) for error in result.errors)


def test_a_code_signed_before_its_signer_existed_is_refused(
    maximal: Declaration, keystore: KeyStore, trust: TrustList
) -> None:
    early = int((KEYS_MADE - timedelta(days=1)).timestamp())
    code = signed(claims_of(maximal, iat=early), keystore.signer())
    result = verify(code, trust_list=trust, at=DURING)
    assert result.checks["issuer"] is False


# --- a sane validity -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"exp": None}, errors.NoExpiry),
        ({"iat": None}, errors.NoIssueTime),
        ({"exp": int(ISSUED.timestamp()) - 60}, errors.ExpiryImplausible),
        ({"exp": int(ISSUED.timestamp()) + MAX_LIFETIME_S + 1}, errors.ExpiryImplausible),
    ],
    ids=["no exp", "no iat", "exp before iat", "exp a lifetime away"],
)
def test_a_code_must_say_when_it_ends_and_that_end_must_be_plausible(
    maximal: Declaration,
    keystore: KeyStore,
    trust: TrustList,
    overrides: dict[str, Any],
    error: type[errors.CertificateError],
) -> None:
    code = signed(claims_of(maximal, **overrides), keystore.signer())
    for moment in (DURING, DURING + timedelta(days=3650)):
        result = verify(code, trust_list=trust, at=moment)
        assert result.checks["expiry"] is False and not result.valid
        assert any(isinstance(found, error) for found in result.errors)


# --- revocation lists --------------------------------------------------------------------------


def _revoked_list(store: KeyStore, sequence: int = 1) -> dict[str, Any]:
    return revocation.build(
        [declaration_certificate_id(DECLARATION_ID)],
        sequence=sequence,
        issued_at=ISSUED,
        signer=store.signer(),
    )


def test_a_revocation_list_from_another_country_does_not_clear_a_revoked_code(
    maximal: Declaration, keystore: KeyStore, other_country: KeyStore, both: TrustList
) -> None:
    code = issue_declaration(
        maximal,
        declaration_id=DECLARATION_ID,
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )
    polish = revocation.load(
        revocation.build([], sequence=9, issued_at=ISSUED, signer=other_country.signer()), both
    )
    result = verify(code, trust_list=both, revocations=polish, at=DURING)
    assert result.checks["revocation"] is None  # not "checked and fine"
    assert [w.to_json()["code"] for w in result.warnings] == ["revocation_not_checked"]
    assert "PL" in result.warnings[0].message() and "CN" in result.warnings[0].message()

    chinese = revocation.load(_revoked_list(keystore), both)
    revoked = verify(code, trust_list=both, revocations=chinese, at=DURING)
    assert revoked.checks["revocation"] is False and not revoked.valid
    assert revoked.warnings == []


def test_a_revocation_list_in_another_countrys_name_is_refused(
    other_country: KeyStore, both: TrustList
) -> None:
    # signed (validly) by PL's key, but in CN's name
    forged = revocation.build([], sequence=9, issued_at=ISSUED, signer=_as_cn(other_country))
    assert forged["issuer"] == "CN"
    with pytest.raises(errors.RevocationListInvalid):
        revocation.load(forged, both)


def _as_cn(store: KeyStore) -> Signer:
    signer = store.signer()
    return Signer(signer.private_key, signer.certificate, signer.kid, "CN", signer.issuer)


def test_without_a_revocation_list_the_check_is_not_reached_and_a_warning_says_so(
    maximal: Declaration, keystore: KeyStore, trust: TrustList
) -> None:
    code = issue_declaration(
        maximal,
        declaration_id=DECLARATION_ID,
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )
    result = verify(code, trust_list=trust, at=DURING)
    assert result.valid and result.checks["revocation"] is None
    assert result.to_json()["warnings"] == [
        {"code": "revocation_not_checked", "message": result.warnings[0].message()}
    ]
    assert "Revocation was NOT checked" in render(result)
    token = i18n._current.set("zh")
    try:
        assert "未检查健康码是否已取消" in render(result)
    finally:
        i18n._current.reset(token)


# --- the container -----------------------------------------------------------------------------


def test_a_zlib_bomb_is_stopped_without_inflating_it(trust: TrustList) -> None:
    bomb = zlib.compress(b"\0" * (64 * 1024 * 1024), 9)  # 64 MiB in ~64 KB
    text = hc1.PREFIX + hc1.b45encode(bomb)
    tracemalloc.start()
    try:
        result = verify(text, trust_list=trust, at=DURING)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.checks["zlib"] is False and not result.valid
    assert any(isinstance(error, errors.ZlibTooLarge) for error in result.errors)
    assert peak < 2 * 1024 * 1024


def test_the_largest_real_code_inflates_within_the_cap() -> None:
    """The cap sits above anything a QR code can carry: random data does not compress, so the
    biggest QR payload inflates to about its own size."""
    data = bytes(range(256)) * 11  # 2,816 bytes: about what a version 40 QR holds
    assert hc1.inflate(zlib.compress(data)) == data
    assert len(data) * 3 < hc1.MAX_INFLATED


def test_bytes_after_the_cose_structure_are_refused(
    keystore: KeyStore, maximal: Declaration, trust: TrustList
) -> None:
    message = cose.sign_es256(
        cbor2.dumps(claims_of(maximal)), keystore.signer().private_key, keystore.signer().kid
    )
    assert verify(hc1.encode(message), trust_list=trust, at=DURING).valid
    smuggled = verify(hc1.encode(message + b"\x00extra"), trust_list=trust, at=DURING)
    assert smuggled.checks["cose"] is False and not smuggled.valid
    assert any(isinstance(error, errors.TrailingBytes) for error in smuggled.errors)


def test_bytes_after_the_zlib_stream_are_refused(
    keystore: KeyStore, maximal: Declaration, trust: TrustList
) -> None:
    message = cose.sign_es256(
        cbor2.dumps(claims_of(maximal)), keystore.signer().private_key, keystore.signer().kid
    )
    text = hc1.PREFIX + hc1.b45encode(hc1.deflate(message) + b"tail")
    result = verify(text, trust_list=trust, at=DURING)
    assert result.checks["zlib"] is False and not result.valid
    assert any(isinstance(error, errors.TrailingBytes) for error in result.errors)


# --- ES256 with a P-384 key (hash from alg, curve from key) ----------------------------------


def _p384_signer(country: str) -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    key = ec.generate_private_key(ec.SECP384R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, country)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(KEYS_MADE)
        .not_valid_after(KEYS_MADE + timedelta(days=730))
        .sign(key, hashes.SHA384())
    )
    return key, certificate.public_bytes(serialization.Encoding.DER)


def _es256_p384(payload: bytes, key: ec.EllipticCurvePrivateKey, kid: bytes) -> bytes:
    protected = cbor2.dumps({cose.HEADER_ALG: cose.ES256, cose.HEADER_KID: kid})
    to_sign = cbor2.dumps(["Signature1", protected, b"", payload])
    r, s = decode_dss_signature(key.sign(to_sign, ec.ECDSA(hashes.SHA256())))
    signature = r.to_bytes(48, "big") + s.to_bytes(48, "big")
    return cbor2.dumps(cbor2.CBORTag(cose.COSE_SIGN1_TAG, [protected, {}, payload, signature]))


def test_an_es256_code_signed_with_a_p384_key_verifies(maximal: Declaration) -> None:
    key, certificate = _p384_signer("CN")
    trust = TrustList.of_certificates([certificate])
    message = _es256_p384(cbor2.dumps(claims_of(maximal)), key, kid_of(certificate))
    result = verify(hc1.encode(message), trust_list=trust, at=DURING)
    assert result.valid, result.errors
    assert result.checks["signature"] is True and result.checks["issuer"] is True

    tampered = bytearray(message)
    tampered[-5] ^= 1
    bad = verify(hc1.encode(bytes(tampered)), trust_list=trust, at=DURING)
    assert bad.checks["signature"] is False


def test_a_p256_length_signature_does_not_pass_for_a_p384_key(maximal: Declaration) -> None:
    _, certificate = _p384_signer("CN")
    trust = TrustList.of_certificates([certificate])
    protected = cbor2.dumps({cose.HEADER_ALG: cose.ES256, cose.HEADER_KID: kid_of(certificate)})
    short = cbor2.dumps(
        cbor2.CBORTag(
            cose.COSE_SIGN1_TAG, [protected, {}, cbor2.dumps(claims_of(maximal)), b"\1" * 64]
        )
    )
    assert verify(hc1.encode(short), trust_list=trust, at=DURING).checks["signature"] is False


# --- properties ------------------------------------------------------------------------------


@given(st.binary(max_size=4096))
def test_inflate_gives_a_bounded_result_or_its_own_error(data: bytes) -> None:
    for stream in (data, zlib.compress(data)):
        try:
            out = hc1.inflate(stream)
        except errors.CertificateError as error:
            assert error.check == "zlib"
        else:
            assert len(out) <= hc1.MAX_INFLATED


@given(st.binary(max_size=300), st.binary(max_size=70_000))
def test_the_signed_structure_is_the_cbor_of_its_parts(protected: bytes, payload: bytes) -> None:
    expected = cbor2.dumps(["Signature1", protected, b"", payload])
    assert cose._sig_structure(protected, payload) == expected
