"""One exception type per way a health certificate, a trust list or a key store can fail.

Each error names the verification step it belongs to (``check``, as in the ``checks`` object of
``itdeclare verify --json``) and a catalogue key (``certificate.error.<code>``), so the same
failure reads the same in the verifier, the TUI and the backend, in Chinese and English.
"""

from __future__ import annotations

from typing import Any, ClassVar

from itdeclare import i18n

#: The verification steps, in the order they run (DESIGN.md §4.1, plus ``key_usage``).
CHECKS: tuple[str, ...] = (
    "prefix",
    "base45",
    "zlib",
    "cose",
    "signature",
    "issuer",
    "key_usage",
    "expiry",
    "revocation",
    "schema",
)


class CertificateError(Exception):
    """Base of every error of this package; ``message()`` is the user-facing text."""

    code: ClassVar[str] = "invalid"
    check: ClassVar[str | None] = None

    def __init__(self, **params: Any) -> None:
        super().__init__(params)
        self.params = params

    def message(self, language: i18n.Language | None = None) -> str:
        return i18n.t(f"certificate.error.{self.code}", language, **self.params)

    def __str__(self) -> str:
        return self.message("en")


# --- the HC1 container, outside in -----------------------------------------------------------


class PrefixMissing(CertificateError):
    code, check = "prefix_missing", "prefix"


class PrefixUnknown(CertificateError):
    code, check = "prefix_unknown", "prefix"


class Base45Invalid(CertificateError):
    code, check = "base45_invalid", "base45"


class ZlibInvalid(CertificateError):
    code, check = "zlib_invalid", "zlib"


class ZlibTooLarge(CertificateError):
    """The content inflates beyond what any QR code can carry (``limit`` bytes)."""

    code, check = "zlib_too_large", "zlib"


class NotCbor(CertificateError):
    code, check = "not_cbor", "cose"


class NotCose(CertificateError):
    code, check = "not_cose", "cose"


class NotCwt(CertificateError):
    code, check = "not_cwt", "cose"


class CwtTimeInvalid(NotCwt):
    """The ``claim`` (``iat`` or ``exp``) is not a time: not a number of seconds, or not a
    finite one within the years a date can hold (1 to 9999)."""

    code = "cwt_time_invalid"


class TrailingBytes(CertificateError):
    """Bytes follow the signed structure: nothing outside the signature may ride along."""

    code, check = "trailing_bytes", "cose"


class ZlibTrailingBytes(TrailingBytes):
    """Bytes follow the compressed stream."""

    check = "zlib"


# --- signature and trust ---------------------------------------------------------------------


class NoKeyId(CertificateError):
    code, check = "no_kid", "signature"


class UnknownKey(CertificateError):
    code, check = "unknown_key", "signature"


class UnsupportedAlgorithm(CertificateError):
    code, check = "unsupported_algorithm", "signature"


class SignatureInvalid(CertificateError):
    code, check = "signature_invalid", "signature"


class IssuerMismatch(CertificateError):
    """The code names ``claimed`` as its issuer; the trust list gives its key to ``country``."""

    code, check = "issuer_mismatch", "issuer"


class IssuerUnknown(CertificateError):
    """The trust list names no country for the signing key, so the issuer cannot be bound."""

    code, check = "issuer_unknown", "issuer"


class RecordIssuerOtherCountry(CertificateError):
    """The code carries the record claim, which only China issues, but the trust list gives
    its signing key to ``country``."""

    code, check = "record_issuer_other_country", "issuer"


class SignerNotValidThen(CertificateError):
    """The signing certificate was not valid when the code says it was issued."""

    code, check = "signer_not_valid", "issuer"


class SignerEndsFirst(CertificateError):
    """The code ``expires`` after its signing certificate's ``not_after``: a certificate
    cannot vouch for a code beyond its own end."""

    code, check = "signer_ends_first", "issuer"


class KeyUsageDenied(CertificateError):
    """``type`` is ``test``, ``vaccination`` or ``recovery``."""

    code, check = "key_usage_denied", "key_usage"

    def message(self, language: i18n.Language | None = None) -> str:
        kind = i18n.t(f"certificate.entry.{self.params['type']}", language)
        return i18n.t(f"certificate.error.{self.code}", language, type=kind)


class KeyUsageRecordDenied(CertificateError):
    """The signing certificate is limited to the DCC entry types ``allowed`` (``test``,
    ``vaccination``, ``recovery``; perhaps none), and the full record needs all three."""

    code, check = "key_usage_record_denied", "key_usage"

    def message(self, language: i18n.Language | None = None) -> str:
        kinds = [i18n.t(f"certificate.entry.{kind}", language) for kind in self.params["allowed"]]
        allowed = kinds or i18n.t("certificate.entry.none", language)
        return i18n.t(f"certificate.error.{self.code}", language, allowed=allowed)


# --- time, revocation, content ---------------------------------------------------------------


class Expired(CertificateError):
    code, check = "expired", "expiry"


class NotYetValid(CertificateError):
    code, check = "not_yet_valid", "expiry"


class NoIssueTime(CertificateError):
    code, check = "no_issue_time", "expiry"


class NoExpiry(CertificateError):
    """A code without ``exp`` would be valid forever."""

    code, check = "no_expiry", "expiry"


class ExpiryImplausible(CertificateError):
    """``exp`` is not after ``iat``, or lies further ahead than any health code lasts."""

    code, check = "expiry_implausible", "expiry"


class Revoked(CertificateError):
    code, check = "revoked", "revocation"


class SchemaInvalid(CertificateError):
    code, check = "schema_invalid", "schema"


class NoHealthCertificate(CertificateError):
    code, check = "no_health_certificate", "schema"


# --- warnings: the code may still be valid, but the officer must know -----------------------


class CertificateWarning(CertificateError):
    """Not a failure: something the verifier could not check. ``code`` is the contract's
    warning code; ``key`` picks the wording (several wordings may share one code)."""

    key: ClassVar[str] = "warning"

    def message(self, language: i18n.Language | None = None) -> str:
        return i18n.t(f"certificate.warning.{self.key}", language, **self.params)

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message()}


class NoRevocationList(CertificateWarning):
    code, key = "revocation_not_checked", "no_revocation_list"


class RevocationListOfOtherCountry(CertificateWarning):
    """The revocation list given is ``list_country``'s; the code was signed for ``country``."""

    code, key = "revocation_not_checked", "revocation_list_other_country"


class RevokedPerhapsLater(CertificateWarning):
    """The revocation list that names the code was ``issued`` after the validation time
    ``at`` (``--at`` in the past): the code may have been revoked only after it."""

    code, key = "revocation_list_newer", "revoked_perhaps_later"


# --- inputs the verifier is given ------------------------------------------------------------


class TrustListInvalid(CertificateError):
    code = "trust_list_invalid"


class RevocationListInvalid(CertificateError):
    code = "revocation_list_invalid"


class QrUnreadable(CertificateError):
    code = "qr_unreadable"


class QrSeveralCodes(CertificateError):
    """The picture holds ``count`` different QR codes; one is checked at a time."""

    code = "qr_several_codes"


class QrTooLarge(CertificateError):
    """More text than a QR code can hold (no code the backend signs is: see ``limits``)."""

    code = "qr_too_large"


class ImageFormatUnsupported(QrUnreadable):
    """The file is not a PNG or JPEG picture (an SVG, a PDF, …): no QR was looked for."""

    code = "image_format_unsupported"


class RecordNotEncodable(CertificateError):
    """The record holds a value the certificate format cannot carry (a programming error)."""

    code = "record_not_encodable"


# --- the key store ---------------------------------------------------------------------------


class KeyStoreError(CertificateError):
    code = "keystore"


class KeyStoreMissing(KeyStoreError):
    code = "keystore_missing"


class KeyStoreExists(KeyStoreError):
    code = "keystore_exists"


class WrongPassphrase(KeyStoreError):
    code = "wrong_passphrase"


class PassphraseMissing(KeyStoreError):
    code = "passphrase_missing"


class PassphraseFileUnreadable(KeyStoreError):
    code = "passphrase_file_unreadable"


class PassphraseFileEmpty(KeyStoreError):
    code = "passphrase_file_empty"


class PassphraseTooShort(KeyStoreError):
    code = "passphrase_too_short"


class KeyStoreDamaged(KeyStoreError):
    code = "keystore_damaged"
