"""The HC1 layers one by one: each fails with its own error, and nothing altered gets through."""

from __future__ import annotations

import zlib

import base45
import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itdeclare.certificate import cose, errors, hc1
from itdeclare.certificate.issue import issue_declaration
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import verify, verify_cose
from itdeclare.models import Declaration

from .conftest import DECLARATION_ID, DURING, EXPIRES, ISSUED


@given(st.binary(max_size=600))
def test_base45_round_trip_and_agrees_with_the_reference_codec(data: bytes) -> None:
    text = hc1.b45encode(data)
    assert hc1.b45decode(text) == data == base45.b45decode(text)


BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


@given(st.text(BASE45_ALPHABET, max_size=60) | st.sampled_from(["FGW", "GGW", "0:V", "::"]))
def test_any_base45_text_decodes_as_the_reference_codec_or_is_refused_by_both(
    text: str,
) -> None:
    # Texts of the alphabet alone reach the group arithmetic: a group of 65535 (FGW) decodes,
    # one above it (GGW) is refused, and so is any group whose last digit is above 32.
    try:
        expected = base45.b45decode(text)
    except ValueError:
        with pytest.raises(errors.Base45Invalid):
            hc1.b45decode(text)
    else:
        assert hc1.b45decode(text) == expected


@pytest.mark.parametrize("text", ["A", "ABCD", "GGW", "::", "abc", "ÄBC", "00\n"])
def test_invalid_base45_is_rejected(text: str) -> None:
    with pytest.raises(errors.Base45Invalid):
        hc1.b45decode(text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("NCFOXN%TS3DH", errors.PrefixMissing),
        ("HC2:NCFOXN%TS3DH", errors.PrefixUnknown),
        ("HL0:NCFOXN", errors.PrefixUnknown),
        ("", errors.PrefixMissing),
    ],
)
def test_prefix_errors(text: str, error: type[errors.CertificateError]) -> None:
    with pytest.raises(error) as caught:
        hc1.unprefix(text)
    assert caught.value.check == "prefix"


@pytest.mark.parametrize(
    ("data", "error", "check"),
    [
        (b"\x78\x9c\x00\x01", errors.ZlibInvalid, "zlib"),
        (zlib.compress(b"hello")[:-2], errors.ZlibInvalid, "zlib"),
        (b"not zlib at all", errors.ZlibInvalid, "zlib"),
    ],
)
def test_zlib_errors(data: bytes, error: type[errors.CertificateError], check: str) -> None:
    with pytest.raises(error) as caught:
        hc1.inflate(data)
    assert caught.value.check == check


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"\xff\xff", errors.NotCbor),
        (cbor2.dumps({"a": 1}), errors.NotCose),
        (cbor2.dumps(cbor2.CBORTag(98, [b"", {}, b"", b""])), errors.NotCose),
        (cbor2.dumps([b"", {}, b""]), errors.NotCose),
        (cbor2.dumps([b"\x01", {}, b"p", b"s"]), errors.NotCose),
    ],
)
def test_cose_errors(data: bytes, error: type[errors.CertificateError]) -> None:
    with pytest.raises(error) as caught:
        cose.parse(data)
    assert caught.value.check == "cose"


def test_every_step_is_reported_with_its_own_check(trust: TrustList) -> None:
    cases = {
        "prefix": "XX1:ABC",
        "base45": "HC1:abc",
        "zlib": "HC1:" + hc1.b45encode(b"plain"),
        "cose": hc1.encode(cbor2.dumps([1, 2, 3])),
    }
    for check, payload in cases.items():
        result = verify(payload, trust_list=trust, at=DURING)
        assert result.checks[check] is False
        assert not result.valid
        later = list(result.checks)[list(result.checks).index(check) + 1 :]
        assert all(result.checks[name] is None for name in later), result.checks
        assert result.to_json()["payload"] is None


@pytest.fixture
def signed(keystore: KeyStore, maximal: Declaration) -> str:
    return issue_declaration(
        maximal,
        declaration_id=DECLARATION_ID,
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )


def test_the_issued_code_verifies(signed: str, trust: TrustList) -> None:
    result = verify(signed, trust_list=trust, at=DURING)
    assert result.valid, result.to_json()


# The fixtures are only read, so sharing them between examples is safe.
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_random_bit_flip_in_the_signed_message_is_rejected(
    signed: str, trust: TrustList, data: st.DataObject
) -> None:
    message = hc1.decode(signed)
    bit = data.draw(st.integers(0, len(message) * 8 - 1))
    flipped = bytearray(message)
    flipped[bit // 8] ^= 1 << (bit % 8)
    result = verify_cose(bytes(flipped), trust_list=trust, at=DURING)
    assert not result.valid
    assert not verify(hc1.encode(bytes(flipped)), trust_list=trust, at=DURING).valid


def test_every_bit_flip_of_the_signed_message_is_rejected(signed: str, trust: TrustList) -> None:
    message = hc1.decode(signed)
    for bit in range(len(message) * 8):
        flipped = bytearray(message)
        flipped[bit // 8] ^= 1 << (bit % 8)
        assert not verify_cose(bytes(flipped), trust_list=trust, at=DURING).valid, bit


def test_every_bit_flip_of_the_text_is_rejected(signed: str, trust: TrustList) -> None:
    """Exhaustive over the characters after the prefix (a flip in the prefix is checked too).

    Deflate may end on padding bits that carry nothing: a flip there inflates to the very same
    signed bytes, which is no forgery. Any other flip must fail verification.
    """
    original = hc1.decode(signed)
    for index in range(len(signed)):
        for bit in range(7):
            text = signed[:index] + chr(ord(signed[index]) ^ (1 << bit)) + signed[index + 1 :]
            if verify(text, trust_list=trust, at=DURING).valid:
                assert hc1.decode(text) == original, (index, bit)
