"""Revocation lists: which certificates the issuer has withdrawn, signed by the issuer.

The document (JSON) is what ``GET /api/v1/revocations`` serves and ``itdeclare verify
--revocations FILE`` reads::

    {"version": 1, "issuer": "CN", "sequence": 12, "issued_at": "2026-12-01T08:00:00+00:00",
     "hash": "sha256-128", "entries": ["<base64>", …],
     "kid": "<base64>", "alg": "ES256", "signature": "<base64 r || s>"}

An entry is the first 16 bytes of SHA-256 over a certificate identifier (``URN:UVCI:…``), so
the list names no one. The signature is ES256 by a document signer in the trust list, over the
document without ``signature``, serialised as compact JSON with sorted keys. ``issuer`` must be
the country the trust list gives the signing key, and a verifier applies the list only to codes
signed by a key of that same country: another country cannot vouch that a code is not revoked.
``sequence`` only grows; a verifier reports the list's age so an officer can tell a stale one.

A list is dated: its signer's certificate must have been valid at ``issued_at``, and
``issued_at`` may not lie ahead of the reader's clock by more than :data:`CLOCK_SKEW`. Since a
kept list's ``sequence`` bars every lower one (``storage.trust.rollback``), a list from the
future or from a signer outside its validity would otherwise freeze the kept list; it is
refused before anyone keeps or uses it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itdeclare import i18n
from itdeclare.certificate import errors
from itdeclare.certificate.trust import TrustedKey, TrustList, read_json

if TYPE_CHECKING:
    from itdeclare.certificate.keys import Signer

VERSION = 1
HASH = "sha256-128"
#: How far ahead of the reader's clock a list may be dated: clocks of the backend and of an
#: officer's machine differ by a little, never by more.
CLOCK_SKEW = timedelta(minutes=5)


def entry_hash(certificate_id: str) -> bytes:
    return hashlib.sha256(certificate_id.encode("utf-8")).digest()[:16]


def _signed_bytes(document: dict[str, Any]) -> bytes:
    body = {key: value for key, value in document.items() if key != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


@dataclass(frozen=True)
class RevocationList:
    issuer: str
    sequence: int
    issued_at: datetime
    hashes: frozenset[bytes]

    def contains(self, certificate_id: str) -> bool:
        return entry_hash(certificate_id) in self.hashes


def build(
    certificate_ids: Iterable[str], *, sequence: int, issued_at: datetime, signer: Signer
) -> dict[str, Any]:
    """The signed revocation document naming ``certificate_ids``."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    if issued_at.tzinfo is None:
        raise ValueError("issued_at must carry a time zone")
    entries = sorted({base64.b64encode(entry_hash(ci)).decode("ascii") for ci in certificate_ids})
    document: dict[str, Any] = {
        "version": VERSION,
        "issuer": signer.country,
        "sequence": sequence,
        "issued_at": issued_at.isoformat(),
        "hash": HASH,
        "entries": entries,
        "kid": base64.b64encode(signer.kid).decode("ascii"),
        "alg": "ES256",
    }
    der = signer.private_key.sign(_signed_bytes(document), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    document["signature"] = base64.b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode()
    return document


def _invalid(reason: str) -> errors.RevocationListInvalid:
    return errors.RevocationListInvalid(reason=reason)


def _bad_field(name: str) -> errors.RevocationListInvalid:
    return _invalid(i18n.t("certificate.reason.field", name=name))


def _decoded(text: Any, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise _bad_field(what) from None


def _verify_signature(document: dict[str, Any], trust_list: TrustList) -> TrustedKey:
    """The trust-list key that signed ``document``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    if document.get("alg") != "ES256":
        raise _bad_field("alg")
    signature = _decoded(document.get("signature"), "signature")
    candidates = trust_list.candidates(_decoded(document.get("kid"), "kid"))
    if len(signature) != 64 or not candidates:
        raise _invalid(i18n.t("certificate.reason.unknown_signer"))
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    for candidate in candidates:
        if not isinstance(candidate.public_key, ec.EllipticCurvePublicKey):
            continue
        try:
            candidate.public_key.verify(der, _signed_bytes(document), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            continue
        return candidate
    raise _invalid(i18n.t("certificate.reason.bad_signature"))


def load(document: Any, trust_list: TrustList, *, now: datetime | None = None) -> RevocationList:
    """A verified revocation list, or :class:`errors.RevocationListInvalid` saying why not;
    ``now`` (default: the current time) is the clock its date is held against."""
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise _bad_field("version")
    if document.get("hash") != HASH:
        raise _bad_field("hash")
    signer = _verify_signature(document, trust_list)
    sequence, issuer, entries = (document.get(k) for k in ("sequence", "issuer", "entries"))
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 0:
        raise _bad_field("sequence")
    if not isinstance(issuer, str) or not isinstance(entries, list):
        raise _bad_field("entries")
    if signer.country is None or signer.country != issuer:
        signed_for = signer.country or "?"
        raise _invalid(i18n.t("certificate.reason.other_country", issuer=issuer, signer=signed_for))
    try:
        issued_at = datetime.fromisoformat(str(document.get("issued_at")))
    except ValueError:
        raise _bad_field("issued_at") from None
    if issued_at.tzinfo is None:
        raise _bad_field("issued_at")
    _dated_in_time(issued_at, signer, now or datetime.now(UTC))
    hashes = frozenset(_decoded(entry, "entries") for entry in entries)
    return RevocationList(issuer, sequence, issued_at, hashes)


def _dated_in_time(issued_at: datetime, signer: TrustedKey, now: datetime) -> None:
    """The list was issued while its signer's certificate was valid, and not after ``now``
    (give or take :data:`CLOCK_SKEW`)."""
    if issued_at > now + CLOCK_SKEW:
        raise _invalid(i18n.t("certificate.reason.issued_in_future", issued=issued_at, now=now))
    if not signer.valid_at(issued_at.timestamp()):
        reason = i18n.t(
            "certificate.reason.signer_not_valid_then",
            issued=issued_at,
            not_before=signer.not_before,
            not_after=signer.not_after,
        )
        raise _invalid(reason)


def load_file(path: Path, trust_list: TrustList, *, now: datetime | None = None) -> RevocationList:
    return load(read_json(path, errors.RevocationListInvalid), trust_list, now=now)
