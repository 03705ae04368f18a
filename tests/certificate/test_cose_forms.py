"""The COSE_Sign1 message read the quick way (the common tagged form) and the general way give
the same message or the same error, and the DER form of an ECDSA signature is the standard one."""

from __future__ import annotations

from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from hypothesis import given
from hypothesis import strategies as st

from itdeclare.certificate import cose, errors

PROTECTED = cbor2.dumps({cose.HEADER_ALG: cose.ES256, cose.HEADER_KID: b"12345678"})


def _read(data: bytes) -> Any:
    """What parse makes of ``data``: its parts, or the type of the error it raises."""
    try:
        message = cose.parse(data)
    except errors.CertificateError as error:
        return type(error)
    return (
        message.protected,
        dict(message.protected_header),
        dict(message.unprotected_header),
        message.payload,
        message.signature,
        message.kid,
        message.alg,
    )


def _read_in_full(data: bytes, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(cose, "_common_form", lambda data: None)
        return _read(data)


def _message(payload: bytes, signature: bytes, tag: int = cose.COSE_SIGN1_TAG) -> bytes:
    return cbor2.dumps(cbor2.CBORTag(tag, [PROTECTED, {}, payload, signature]))


def test_a_common_code_is_read_the_quick_way_and_as_cbor_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for payload in (b"", b"p" * 23, b"p" * 24, b"p" * 300):
        data = _message(payload, b"s" * 64)
        assert cose._common_form(data) == (PROTECTED, payload, b"s" * 64)
        assert _read(data) == _read_in_full(data, monkeypatch)
        assert _read(data)[3] == payload


@pytest.mark.parametrize(
    "data",
    [
        _message(b"payload", b"s" * 64) + b"\x00",  # a byte after the message
        _message(b"payload", b"s" * 64)[:-1],  # the signature cut short
        _message(b"payload", b"s" * 64, tag=cose.CWT_TAG),
        cbor2.dumps([PROTECTED, {}, b"payload", b"s" * 64]),  # untagged
        cbor2.dumps(cbor2.CBORTag(18, [PROTECTED, {4: b"kid"}, b"payload", b"s" * 64])),
        cbor2.dumps(cbor2.CBORTag(18, [PROTECTED, {}, "payload", b"s" * 64])),  # text payload
        b"\xd2\x84\x58",  # a length that is not there
        b"\xd2\x84\x59\xff\xff",  # a byte string longer than the message
        b"\xd2\x84\x40\xa0\x40",  # no signature
        b"\xd2\x84\x41\x00\xa0\x40\x40",  # a protected header that is not a map
    ],
)
def test_any_other_form_is_read_in_full_with_the_same_verdict(
    data: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _read(data) == _read_in_full(data, monkeypatch)


def test_a_message_with_a_byte_after_it_is_still_refused() -> None:
    with pytest.raises(errors.TrailingBytes):
        cose.parse(_message(b"payload", b"s" * 64) + b"\x00")


@given(
    st.binary(max_size=300),
    st.binary(max_size=70),
    st.binary(max_size=2),
    st.integers(0, 400),
    st.integers(0, 255),
)
def test_codes_altered_anywhere_are_read_alike_both_ways(
    payload: bytes, signature: bytes, suffix: bytes, where: int, byte: int
) -> None:
    data = bytearray(_message(payload, signature) + suffix)
    data[where % len(data)] = byte
    quick = _read(bytes(data))
    saved = cose._common_form
    cose._common_form = lambda data: None  # type: ignore[assignment]
    try:
        assert quick == _read(bytes(data))
    finally:
        cose._common_form = saved


@given(
    st.sampled_from([32, 48, 66]).flatmap(
        lambda size: st.tuples(
            st.just(size),
            st.integers(0, 2 ** (8 * size) - 1) | st.sampled_from([0, 1, 0x7F, 0x80, 0xFF]),
            st.integers(0, 2 ** (8 * size) - 1) | st.sampled_from([0, 1, 0x7F, 0x80, 0xFF]),
        )
    )
)
def test_an_ecdsa_signature_in_der_is_the_standard_encoding(value: tuple[int, int, int]) -> None:
    size, r, s = value
    raw = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    assert cose._der_signature(raw, size) == encode_dss_signature(r, s)


def test_a_signature_of_the_wrong_length_is_invalid() -> None:
    with pytest.raises(errors.SignatureInvalid):
        cose._der_signature(b"\x01" * 63, 32)


@pytest.mark.parametrize(
    ("protected", "unprotected", "kid", "alg"),
    [
        ({1: -7, 4: b"p"}, {}, b"p", -7),  # the common form
        ({1: -7, 4: b"p"}, {4: b"u", 1: -37}, b"p", -7),  # the signed header counts
        ({1: -7}, {4: b"u"}, b"u", -7),
        ({}, {1: -37, 4: b"u"}, b"u", -37),
        ({4: "text", 1: "ES256"}, {4: b"u", 1: -7}, None, None),  # signed, but not of its type
        ({}, {}, None, None),
    ],
)
def test_the_key_id_and_algorithm_come_from_the_signed_header_first(
    protected: dict[int, Any], unprotected: dict[int, Any], kid: bytes | None, alg: int | None
) -> None:
    header = cbor2.dumps(protected) if protected else b""
    data = cbor2.dumps(cbor2.CBORTag(18, [header, unprotected, b"payload", b"s" * 64]))
    message = cose.parse(data)
    assert (message.kid, message.alg) == (kid, alg)


@pytest.mark.parametrize("length", [0, 1, 23, 24, 255, 256, 347, 65535, 65536])
def test_a_byte_string_head_is_the_one_cbor_writes(length: int) -> None:
    data = b"x" * length
    assert cose._bstr_head(length) + data == cbor2.dumps(data)
