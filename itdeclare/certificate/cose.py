"""COSE_Sign1 (RFC 9052) as the EU DCC uses it: parse, sign with ES256, verify ES256 and PS256.

Real certificates differ in small ways this module accepts: the COSE_Sign1 tagged (18),
untagged, or wrapped in the CWT tag (61); the key id in the protected header, the unprotected
one, or both (then the protected one counts, since only it is signed); the algorithm in either.
Signatures are checked with ``cryptography`` directly.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType, SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

import cbor2

from itdeclare.certificate import errors

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey

    from itdeclare.certificate.trust import PublicKey

COSE_SIGN1_TAG = 18
CWT_TAG = 61
HEADER_ALG = 1
HEADER_KID = 4
ES256 = -7
PS256 = -37
ALGORITHMS = {ES256: "ES256", PS256: "PS256"}
#: What CBOR maps decode to: plain dicts, or frozen ones inside tags (concrete types: an ABC
#: check costs more than the rest of parsing).
_MAPS = (dict, cbor2.frozendict)


@dataclass(slots=True)  # not frozen: constructing frozen dataclasses costs on every scan
class CoseSign1:
    protected: bytes
    """The protected header exactly as signed (empty or a serialized map)."""
    protected_header: Mapping[Any, Any]
    unprotected_header: Mapping[Any, Any]
    payload: bytes
    signature: bytes
    signed_head: bytes
    """What the signed structure holds before the payload's byte string (see
    :func:`_signed_head`): the same for every code under one protected header."""
    kid: bytes | None
    """The key id: the protected header's when it has one (only it is signed), else the
    unprotected one's; None when neither holds a byte string."""
    alg: int | None
    """The algorithm, read the same way; None when neither holds an integer."""

    def to_be_signed(self) -> bytes:
        payload = self.payload
        return self.signed_head + _bstr_head(len(payload)) + payload


def _header(protected: Mapping[Any, Any], unprotected: Mapping[Any, Any], label: int) -> Any:
    """A header parameter: the protected one when present (only it is signed), else the
    unprotected one."""
    if label in protected:
        return protected[label]
    return unprotected.get(label)


def _kid(protected: Mapping[Any, Any], unprotected: Mapping[Any, Any]) -> bytes | None:
    value = _header(protected, unprotected, HEADER_KID)
    return value if isinstance(value, bytes) else None


def _alg(protected: Mapping[Any, Any], unprotected: Mapping[Any, Any]) -> int | None:
    value = _header(protected, unprotected, HEADER_ALG)
    return value if isinstance(value, int) else None


#: ``["Signature1", protected, h'', payload]`` up to the protected header's bytes: an array of
#: four, then the 10-letter context text.
_SIG_STRUCTURE_HEAD = b"\x84\x6aSignature1"


def _bstr_head(length: int) -> bytes:
    """The CBOR head of a byte string of ``length`` bytes (major type 2, shortest form): the
    head byte and the length as one integer, written in one step."""
    if length < 24:
        return (0x40 + length).to_bytes(1, "big")
    if length < 0x100:
        return (0x5800 | length).to_bytes(2, "big")
    if length < 0x10000:
        return (0x590000 | length).to_bytes(3, "big")
    return (0x5A00000000 | length).to_bytes(5, "big")


def _signed_head(protected: bytes) -> bytes:
    """The start of what a COSE_Sign1 signs, up to the payload: the structure's head, the
    context, the protected header as a byte string and the empty external data."""
    return _SIG_STRUCTURE_HEAD + _bstr_head(len(protected)) + protected + b"\x40"


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    """The bytes a COSE_Sign1 signs (RFC 9052 §4.4), written directly: the same bytes as
    ``cbor2.dumps(["Signature1", protected, b"", payload])``, without building the list."""
    return _signed_head(protected) + _bstr_head(len(payload)) + payload


_CBOR_ERRORS = (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, RecursionError)


def loads_cbor(data: bytes) -> Any:
    """The CBOR item at the start of ``data``, or :class:`errors.NotCbor`. Used for content
    inside the signature (header, claims), where nothing can be added without breaking it;
    the message itself goes through :func:`_loads_whole`."""
    try:
        return cbor2.loads(data)
    except _CBOR_ERRORS:
        raise errors.NotCbor() from None


def _loads_whole(data: bytes) -> Any:
    """One CBOR item filling ``data`` exactly: :class:`errors.TrailingBytes` when anything
    follows it (``cbor2.loads`` would ignore it), so nothing rides along outside the signature."""
    stream = io.BytesIO(data)
    try:
        item = cbor2.CBORDecoder(stream).decode()
    except _CBOR_ERRORS:
        raise errors.NotCbor() from None
    if stream.tell() != len(data):
        raise errors.TrailingBytes()
    return item


#: The start of the form nearly every code takes: tag 18, then an array of four.
_TAGGED_ARRAY = b"\xd2\x84"
_EMPTY_MAP = 0xA0


def _common_form(data: bytes) -> tuple[bytes, bytes, bytes] | None:
    """(protected, payload, signature) when ``data`` is exactly a tagged COSE_Sign1 with an
    empty unprotected header (what this project and most issuers write), read without a CBOR
    decoder: the scan's hot path. None for any other form, which :func:`parse` then decodes
    in full; so this accepts nothing that decoding would refuse or read otherwise."""
    if not data.startswith(_TAGGED_ARRAY):
        return None
    size = len(data)
    protected, at = _byte_string(data, 2, size)
    if protected is None or at >= size or data[at] != _EMPTY_MAP:
        return None
    payload, at = _byte_string(data, at + 1, size)
    if payload is None:
        return None
    signature, at = _byte_string(data, at, size)
    if signature is None or at != size:
        return None
    return protected, payload, signature


def _byte_string(data: bytes, at: int, size: int) -> tuple[bytes | None, int]:
    """The definite-length byte string (up to 65535 bytes) at ``at`` of ``data`` (``size``
    bytes long) and the position after it; (None, 0) when there is none, or it runs past
    the end. A length is read byte by byte, as slicing and converting cost more."""
    if at >= size:
        return None, 0
    head = data[at]
    if 0x40 <= head < 0x58:
        start = at + 1
        end = start + head - 0x40
    elif head == 0x58 and at + 1 < size:
        start = at + 2
        end = start + data[at + 1]
    elif head == 0x59 and at + 2 < size:
        start = at + 3
        end = start + (data[at + 1] << 8 | data[at + 2])
    else:
        return None, 0
    if end > size:
        return None, 0
    return data[start:end], end


def parse(data: bytes) -> CoseSign1:
    common = _common_form(data)
    if common is not None:
        protected, payload, signature = common
        read = _protected_header(protected)
        return CoseSign1(
            protected, read.header, {}, payload, signature, read.signed_head, read.kid, read.alg
        )
    item = _loads_whole(data)
    for _ in range(3):  # unwrap CWT (61) and COSE_Sign1 (18) tags, in either order
        if not isinstance(item, cbor2.CBORTag):
            break
        if item.tag not in (COSE_SIGN1_TAG, CWT_TAG):
            raise errors.NotCose(reason=f"tag {item.tag}")
        item = item.value
    if not isinstance(item, (list, tuple)) or len(item) != 4:
        raise errors.NotCose(reason="not a four-element array")
    protected, unprotected, payload, signature = item
    if not isinstance(protected, bytes) or not isinstance(unprotected, _MAPS):
        raise errors.NotCose(reason="bad headers")
    if not isinstance(payload, bytes) or not isinstance(signature, bytes):
        raise errors.NotCose(reason="no payload or signature")
    read = _protected_header(protected)
    header = read.header
    return CoseSign1(
        protected,
        header,
        unprotected,
        payload,
        signature,
        read.signed_head,
        _kid(header, unprotected),
        _alg(header, unprotected),
    )


class _Protected(NamedTuple):
    """A protected header read: the map, the start of what a message under it signs
    (:func:`_signed_head`), and its key id and algorithm for a message with no unprotected
    header (the common form)."""

    header: Mapping[Any, Any]
    signed_head: bytes
    kid: bytes | None
    alg: int | None


#: Protected headers read so far, by their bytes: every code of one signer carries the same
#: few (alg and kid), so each is decoded once (read-only views, as they are shared).
_PROTECTED_HEADERS: dict[bytes, _Protected] = {}
#: Enough for every signer of a long trust list; past it the memory starts afresh.
_PROTECTED_HEADERS_KEPT = 512
_NO_HEADER: Mapping[Any, Any] = MappingProxyType({})


def _protected_header(protected: bytes) -> _Protected:
    read = _PROTECTED_HEADERS.get(protected)
    if read is None:
        decoded = loads_cbor(protected) if protected else {}
        if not isinstance(decoded, _MAPS):
            raise errors.NotCose(reason="protected header is not a map")
        if len(_PROTECTED_HEADERS) >= _PROTECTED_HEADERS_KEPT:
            _PROTECTED_HEADERS.clear()
        header = MappingProxyType(dict(decoded))
        read = _Protected(
            header,
            _signed_head(protected),
            _kid(header, _NO_HEADER),
            _alg(header, _NO_HEADER),
        )
        _PROTECTED_HEADERS[protected] = read
    return read


@cache
def _crypto() -> SimpleNamespace:
    """cryptography's pieces, imported once on first use (an import statement in a function
    costs on every call, and this runs for every scan)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    return SimpleNamespace(
        InvalidSignature=InvalidSignature,
        ec=ec,
        rsa=rsa,
        ecdsa=ec.ECDSA(hashes.SHA256()),
        pss=(padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.AUTO), hashes.SHA256()),
    )


_KEY_KINDS: dict[type, str] = {}


def _key_kind(public_key: Any) -> str:
    """``ec``, ``rsa`` or ``other``, remembered per class (ABC checks are slow)."""
    kind = _KEY_KINDS.get(type(public_key))
    if kind is None:
        crypto = _crypto()
        if isinstance(public_key, crypto.ec.EllipticCurvePublicKey):
            kind = "ec"
        elif isinstance(public_key, crypto.rsa.RSAPublicKey):
            kind = "rsa"
        else:
            kind = "other"
        _KEY_KINDS[type(public_key)] = kind
    return kind


def verify(message: CoseSign1, public_key: PublicKey) -> None:
    """Check the signature with ``public_key``, or raise the reason it does not hold.

    As the EU verifiers do, the hash comes from ``alg`` and the curve from the key: ES256
    signed with a P-384 key (some issuers do) is SHA-256 on P-384, a 96-byte signature.
    """
    crypto = _crypto()
    alg = message.alg
    kind = _KEY_KINDS.get(type(public_key)) or _key_kind(public_key)
    key: Any = public_key  # its verify takes other arguments per kind: the branch picks them
    try:
        if alg == ES256 and kind == "ec":
            signature = _der_signature(message.signature, (key.key_size + 7) // 8)
            key.verify(signature, message.to_be_signed(), crypto.ecdsa)
        elif alg == PS256 and kind == "rsa":
            key.verify(message.signature, message.to_be_signed(), *crypto.pss)
        else:
            raise errors.UnsupportedAlgorithm(alg=ALGORITHMS.get(alg or 0, str(alg)))
    except crypto.InvalidSignature:
        raise errors.SignatureInvalid() from None


#: DER heads by content length: a SEQUENCE of up to 255 bytes (two INTEGERs of P-521 take
#: 138), and an INTEGER of up to 127 (one of P-521 takes 67). Looked up, not built: this
#: runs on every scan.
_DER_SEQUENCE = tuple(bytes((0x30, n) if n < 0x80 else (0x30, 0x81, n)) for n in range(0x100))
_DER_INTEGER = tuple(bytes((0x02, n)) for n in range(0x80))


def _der_signature(raw: bytes, size: int) -> bytes:
    """COSE carries ECDSA signatures as r || s, each ``size`` bytes (the curve's); cryptography
    wants DER (two INTEGERs in a SEQUENCE). Written in one step: this runs on every scan."""
    if len(raw) != 2 * size:
        raise errors.SignatureInvalid()
    r = raw[:size].lstrip(b"\0") or b"\0"
    s = raw[size:].lstrip(b"\0") or b"\0"
    # an INTEGER is signed: one whose top bit is set takes a zero byte before it
    if r[0] & 0x80:
        r = b"\0" + r
    if s[0] & 0x80:
        s = b"\0" + s
    body = len(r) + len(s) + 4
    return b"".join((_DER_SEQUENCE[body], _DER_INTEGER[len(r)], r, _DER_INTEGER[len(s)], s))


def sign_es256(payload: bytes, key: EllipticCurvePrivateKey, kid: bytes) -> bytes:
    """A tagged COSE_Sign1 over ``payload``, with alg and kid in the protected header."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    protected = cbor2.dumps({HEADER_ALG: ES256, HEADER_KID: kid})
    der = key.sign(_sig_structure(protected, payload), _crypto().ecdsa)
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))
