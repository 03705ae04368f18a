"""Trust lists: the public keys a verifier accepts, by key id (DESIGN.md §4.2).

Two formats are read: ours, ``{"keys": [{"kid", "country", "certificate" | "public_key"}]}``,
and the EU gateway's list of ``{"kid", "country", "rawData"}`` entries (bare, or under "keys" or
"certificates"). ``kid`` is the first 8 bytes of SHA-256 over the DER certificate.

A document signer certificate may restrict what it signs with extended key usage OIDs for
test, vaccination and recovery certificates (two spellings of each occur in the wild). A
certificate with no such extension, or an empty one, may sign any type; one whose extension
names none of them may sign none. This project's full record (claim -65537) lists every test,
vaccination and earlier diagnosis of its holder, an empty list saying there is none, so it
speaks for all three types: only a signer allowed all three may sign it
(:data:`RECORD_TYPES`; the signers ``itdeclare keys`` makes carry all three OIDs).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itdeclare import i18n
from itdeclare.certificate import der, errors

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

    PublicKey = EllipticCurvePublicKey | RSAPublicKey

#: Extended key usage OIDs of DCC document signers, by the DCC entry type they allow.
KEY_USAGE_TYPES: dict[str, str] = {
    **{f"1.3.6.1.4.1.1847.2021.1.{n}": kind for n, kind in ((1, "t"), (2, "v"), (3, "r"))},
    **{f"1.3.6.1.4.1.0.1847.2021.1.{n}": kind for n, kind in ((1, "t"), (2, "v"), (3, "r"))},
}
#: The OIDs this project's document signers carry (the EU's registered spelling): all three,
#: as signing the full record needs (:data:`RECORD_TYPES`).
SIGNER_KEY_USAGES = (
    "1.3.6.1.4.1.1847.2021.1.1",
    "1.3.6.1.4.1.1847.2021.1.2",
    "1.3.6.1.4.1.1847.2021.1.3",
)
#: The DCC entry types a signer must be allowed to sign the full record (claim -65537): it
#: vouches for the holder's tests, vaccinations and recoveries at once.
RECORD_TYPES = frozenset({"t", "v", "r"})


def kid_of(certificate_der: bytes) -> bytes:
    return hashlib.sha256(certificate_der).digest()[:8]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text, validate=True)


@dataclass(frozen=True, slots=True)
class TrustedKey:
    kid: bytes
    public_key: PublicKey
    country: str | None = None
    certificate: bytes | None = None
    """DER of the document signer certificate, when the list carries it."""
    allowed_types: frozenset[str] | None = None
    """DCC entry types (t, v, r) the signer may sign; None means any."""
    not_after: datetime | None = None
    not_before: datetime | None = None
    """The certificate's validity; both None for a bare public key (nothing to check)."""
    starts: float = field(init=False, repr=False, compare=False)
    ends: float = field(init=False, repr=False, compare=False)
    """The validity as epoch seconds, unbounded where there is none: every scan compares its
    code's times with them."""
    signs_record: bool = field(init=False, repr=False, compare=False)
    """:meth:`allows_record`, kept: every scan of a record code asks."""

    def __post_init__(self) -> None:
        start, end = self.not_before, self.not_after
        object.__setattr__(self, "starts", -math.inf if start is None else start.timestamp())
        object.__setattr__(self, "ends", math.inf if end is None else end.timestamp())
        object.__setattr__(self, "signs_record", self.allows_record())

    def allows(self, entry_type: str) -> bool:
        return self.allowed_types is None or entry_type in self.allowed_types

    def allows_record(self) -> bool:
        """Whether the signer may sign the full record: a certificate limited to some DCC
        types may not, unless it allows all of :data:`RECORD_TYPES`."""
        return self.allowed_types is None or self.allowed_types >= RECORD_TYPES

    def valid_at(self, epoch: float) -> bool:
        """Whether the certificate was valid at ``epoch`` (seconds), as far as it says."""
        return self.starts <= epoch <= self.ends

    def to_json(self) -> dict[str, str]:
        entry = {"kid": b64(self.kid)}
        if self.country:
            entry["country"] = self.country
        if self.certificate is not None:
            entry["certificate"] = b64(self.certificate)
        else:
            entry["public_key"] = b64(_spki(self.public_key))
        return entry


@dataclass(frozen=True)
class TrustList:
    keys: tuple[TrustedKey, ...] = ()
    _by_kid: dict[bytes, list[TrustedKey]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[bytes, list[TrustedKey]] = {}
        for key in self.keys:
            index.setdefault(key.kid, []).append(key)
        object.__setattr__(self, "_by_kid", index)

    def candidates(self, kid: bytes) -> list[TrustedKey]:
        """The keys with this id (more than one only on a kid collision)."""
        return self._by_kid.get(kid, [])

    def to_json(self) -> dict[str, Any]:
        return {"keys": [key.to_json() for key in self.keys]}

    @classmethod
    def from_json(cls, data: Any) -> TrustList:
        entries = data
        if isinstance(data, Mapping):
            entries = data.get("keys", data.get("certificates"))
        if not isinstance(entries, list):
            raise errors.TrustListInvalid(reason=i18n.t("certificate.reason.no_keys"))
        return cls(tuple(_entry(i, entry) for i, entry in enumerate(entries)))

    @classmethod
    def load(cls, path: Path) -> TrustList:
        return cls.from_json(read_json(path, errors.TrustListInvalid))

    @classmethod
    def of_certificates(
        cls, certificates: Iterable[bytes], country: str | None = None
    ) -> TrustList:
        return cls(tuple(trusted_certificate(c, country) for c in certificates))


def read_json(path: Path, invalid: type[errors.CertificateError]) -> Any:
    """The JSON document in the file of a trust or revocation list; ``invalid`` (that list's
    error) with the reason in the user's words when it cannot be read (a byte-order mark, as
    some editors write, is not part of it)."""
    try:
        text = path.read_text("utf-8-sig")
    except OSError as exc:
        raise invalid(reason=i18n.file_reason(exc)) from None
    except UnicodeDecodeError:
        raise invalid(reason=i18n.t("cli.reason_not_utf8")) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        reason = i18n.t("cli.verify.reason_not_json", line=exc.lineno, column=exc.colno)
        raise invalid(reason=reason) from None
    except (ValueError, RecursionError):  # a number too long to convert, nesting too deep
        raise invalid(reason=i18n.t("cli.verify.reason_json_unusable")) from None


def _entry(index: int, entry: Any) -> TrustedKey:
    if not isinstance(entry, Mapping):
        reason = i18n.t("certificate.reason.entry_not_object", index=index)
        raise errors.TrustListInvalid(reason=reason)
    country = entry.get("country")
    country = country if isinstance(country, str) else None
    try:
        raw = entry.get("certificate", entry.get("rawData"))
        if raw is not None:
            key = trusted_certificate(unb64(raw), country)
            given = entry.get("kid")
            if given is not None and unb64(given) != key.kid:
                reason = i18n.t("certificate.reason.entry_kid_mismatch", index=index)
                raise errors.TrustListInvalid(reason=reason)
            return key
        from cryptography.hazmat.primitives.serialization import load_der_public_key

        public_key = load_der_public_key(unb64(entry["public_key"]))
        return TrustedKey(unb64(entry["kid"]), _checked(public_key), country)
    except errors.TrustListInvalid:
        raise
    except (KeyError, ValueError, TypeError, binascii.Error, der.DerError):
        reason = i18n.t("certificate.reason.entry_unreadable", index=index)
        raise errors.TrustListInvalid(reason=reason) from None


def _checked(public_key: Any) -> PublicKey:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    if not isinstance(public_key, (ec.EllipticCurvePublicKey, rsa.RSAPublicKey)):
        raise ValueError("only EC and RSA keys sign health certificates")
    return public_key


def trusted_certificate(certificate_der: bytes, country: str | None = None) -> TrustedKey:
    """A trust-list entry for a DER document signer certificate.

    Reads what ``cryptography`` can; for a certificate it rejects, the public key and key
    usage come from the DER structure directly.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    kid = kid_of(certificate_der)
    try:
        certificate = x509.load_der_x509_certificate(certificate_der)
        public_key: Any = certificate.public_key()
        not_before, not_after = certificate.not_valid_before_utc, certificate.not_valid_after_utc
        usages = _key_usages(certificate, certificate_der)
        country = country or _country(certificate)
    except ValueError:
        public_key = load_der_public_key(der.public_key_info(certificate_der))
        not_before, not_after = der.validity(certificate_der)
        usages = der.extended_key_usage(certificate_der)
    return TrustedKey(
        kid,
        _checked(public_key),
        country,
        certificate_der,
        _allowed(usages),
        not_after,
        not_before,
    )


def _key_usages(certificate: x509.Certificate, certificate_der: bytes) -> list[str] | None:
    from cryptography import x509

    try:
        extension = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return None
    except ValueError:  # an extension cryptography will not parse: read the OIDs ourselves
        return der.extended_key_usage(certificate_der)
    return [usage.dotted_string for usage in extension.value]


def _allowed(usages: list[str] | None) -> frozenset[str] | None:
    if not usages:
        return None
    return frozenset(KEY_USAGE_TYPES[u] for u in usages if u in KEY_USAGE_TYPES)


def _country(certificate: x509.Certificate) -> str | None:
    from cryptography.x509.oid import NameOID

    try:
        names = certificate.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    except ValueError:
        return None
    value = names[0].value if names else None
    return value if isinstance(value, str) else None


def _spki(public_key: PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
