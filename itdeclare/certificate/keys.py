"""The signing keys: a country signing CA and its document signers, in a directory.

Layout (every file 0600, the directory 0700, private keys sealed with the passphrase: scrypt
and AES-GCM, see ``sealed.py``)::

    keys/
      state.json            {"country", "issuer", "current": <signer kid, hex>}
      csca.key.pem  csca.crt.pem
      signers/<kid>.key.pem signers/<kid>.crt.pem

``keys init`` makes the CA (self-signed) and a first document signer certified by it, with the
DCC key-usage OIDs. ``keys rotate`` adds a signer and makes it current; older signers stay in
the trust list until their certificates expire, so codes they signed keep verifying. A signer
certificate outlives its signing period by the longest certificate lifetime
(:data:`SIGNER_VALIDITY`).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itdeclare import i18n
from itdeclare.certificate import errors, sealed
from itdeclare.certificate.trust import (
    SIGNER_KEY_USAGES,
    TrustedKey,
    TrustList,
    kid_of,
    trusted_certificate,
)

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey

PASSPHRASE_ENV = "ITDECLARE_KEY_PASSPHRASE"
DEFAULT_ISSUER = "National Health Commission of the People's Republic of China"
CA_VALIDITY = timedelta(days=365 * 10)
SIGNER_VALIDITY = timedelta(days=365 * 2)
STATE_FILE = "state.json"


def default_dir() -> Path:
    from itdeclare import locations

    return locations.data_dir() / "keys"


def read_passphrase(passphrase_file: Path | None = None) -> bytes:
    """The passphrase from ``passphrase_file`` or else ``ITDECLARE_KEY_PASSPHRASE``."""
    if passphrase_file is None:
        text = os.environ.get(PASSPHRASE_ENV, "")
        if not text:
            raise errors.PassphraseMissing()
        return text.encode("utf-8")
    try:
        text = passphrase_file.read_text("utf-8").rstrip("\r\n")
    except OSError as exc:
        reason = i18n.file_reason(exc)
        raise errors.PassphraseFileUnreadable(path=passphrase_file, reason=reason) from None
    except UnicodeDecodeError:
        reason = i18n.t("cli.reason_not_utf8")
        raise errors.PassphraseFileUnreadable(path=passphrase_file, reason=reason) from None
    if not text:
        raise errors.PassphraseFileEmpty(path=passphrase_file)
    return text.encode("utf-8")


@dataclass(frozen=True, slots=True)
class Signer:
    """A document signer: what ``issue.py`` needs to sign a certificate."""

    private_key: EllipticCurvePrivateKey
    certificate: x509.Certificate
    kid: bytes
    country: str
    issuer: str


def _write_private(path: Path, data: bytes) -> None:
    """Write atomically (temp file, fsync, rename), readable by the owner only."""
    from itdeclare.locations import ensure

    ensure(path.parent)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _name(common_name: str, country: str, organisation: str) -> x509.Name:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _new_key() -> EllipticCurvePrivateKey:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _ca_certificate(
    key: EllipticCurvePrivateKey, country: str, issuer: str, now: datetime
) -> x509.Certificate:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    name = _name(f"{country} Health Certificate CSCA", country, issuer)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )


def _signer_certificate(
    key: EllipticCurvePrivateKey,
    ca_key: EllipticCurvePrivateKey,
    ca: x509.Certificate,
    country: str,
    issuer: str,
    now: datetime,
) -> x509.Certificate:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ObjectIdentifier

    common_name = f"{country} DSC {now:%Y%m%d%H%M%S}"
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, country, issuer))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(min(now + SIGNER_VALIDITY, ca.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ObjectIdentifier(oid) for oid in SIGNER_KEY_USAGES]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )


class KeyStore:
    """Signing keys in a directory; open it with the passphrase to sign."""

    def __init__(self, directory: Path, passphrase: bytes, state: dict[str, Any]) -> None:
        self.directory = directory
        self._passphrase = passphrase
        self._state = state
        self._signer: Signer | None = None
        self._salt: bytes | None = None

    # --- files ----------------------------------------------------------------------------

    @staticmethod
    def exists(directory: Path) -> bool:
        return (directory / STATE_FILE).is_file()

    def _save_state(self) -> None:
        _write_private(self.directory / STATE_FILE, json.dumps(self._state, indent=2).encode())

    def _write_key(self, path: Path, key: EllipticCurvePrivateKey) -> None:
        if self._salt is None:
            # The store's sealed files share one salt: opening it costs one derivation.
            current = self.directory / "signers" / f"{self._state.get('current')}.key.pem"
            existing = sealed.salt_of(current.read_bytes()) if current.is_file() else None
            self._salt = existing or sealed.new_salt()
        _write_private(path, sealed.seal(key, self._passphrase, self._salt))

    def _read_key(self, path: Path) -> EllipticCurvePrivateKey:
        try:
            data = path.read_bytes()
        except OSError:
            raise errors.KeyStoreDamaged(path=path.name) from None
        return sealed.unseal(data, self._passphrase, path.name)

    def _private_key_files(self) -> list[Path]:
        return [self.directory / "csca.key.pem", *sorted(self.directory.glob("signers/*.key.pem"))]

    def legacy_key_files(self) -> list[Path]:
        """The private keys still in the older, weakly encrypted form (see ``rekey``)."""
        return [p for p in self._private_key_files() if sealed.is_legacy(p.read_bytes())]

    def rekey(self, new_passphrase: bytes | None = None) -> int:
        """Seal every private key again (with ``new_passphrase`` when given), in the current form;
        how many were rewritten. Every key is read before any is written."""
        passphrase = new_passphrase or self._passphrase
        sealed.check_passphrase(passphrase)
        keys = {path: self._read_key(path) for path in self._private_key_files()}
        self._passphrase, self._salt = passphrase, sealed.new_salt()
        for path, key in keys.items():
            self._write_key(path, key)
        self._signer = None
        return len(keys)

    @staticmethod
    def _read_certificate(path: Path) -> x509.Certificate:
        from cryptography import x509

        try:
            return x509.load_pem_x509_certificate(path.read_bytes())
        except (OSError, ValueError):
            raise errors.KeyStoreDamaged(path=path.name) from None

    def _write_certificate(self, path: Path, certificate: x509.Certificate) -> None:
        from cryptography.hazmat.primitives import serialization

        _write_private(path, certificate.public_bytes(serialization.Encoding.PEM))

    # --- life cycle -----------------------------------------------------------------------

    @classmethod
    def init(
        cls,
        directory: Path,
        passphrase: bytes,
        country: str = "CN",
        issuer: str = DEFAULT_ISSUER,
        *,
        now: datetime | None = None,
    ) -> KeyStore:
        """Create the country signing CA and a first document signer in ``directory``, their
        certificates valid from ``now`` (default: the current time; tests set it so that
        codes issued at a fixed moment fall within the signer's validity)."""
        now = now or datetime.now(UTC)
        if cls.exists(directory):
            raise errors.KeyStoreExists(path=str(directory))
        sealed.check_passphrase(passphrase)
        from itdeclare.locations import ensure

        ensure(directory).chmod(0o700)
        store = cls(directory, passphrase, {"country": country, "issuer": issuer, "current": None})
        ca_key = _new_key()
        store._write_key(directory / "csca.key.pem", ca_key)
        store._write_certificate(
            directory / "csca.crt.pem", _ca_certificate(ca_key, country, issuer, now)
        )
        store._add_signer(ca_key, now)
        return store

    @classmethod
    def open(cls, directory: Path, passphrase: bytes, *, check_now: bool = True) -> KeyStore:
        """Open the store; a wrong passphrase fails here, not at the first signature, unless
        ``check_now`` is false (then the key is unsealed when it first signs)."""
        if not cls.exists(directory):
            raise errors.KeyStoreMissing(path=str(directory))
        try:
            state = json.loads((directory / STATE_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            raise errors.KeyStoreDamaged(path=STATE_FILE) from None
        if not isinstance(state, dict) or not isinstance(state.get("current"), str):
            raise errors.KeyStoreDamaged(path=STATE_FILE)
        store = cls(directory, passphrase, state)
        if check_now:
            store.signer()
        return store

    def rotate(self, *, now: datetime | None = None) -> Signer:
        """Add a new document signer and make it the current one."""
        self._add_signer(self._read_key(self.directory / "csca.key.pem"), now or datetime.now(UTC))
        return self.signer()

    def _add_signer(self, ca_key: EllipticCurvePrivateKey, now: datetime) -> None:
        from cryptography.hazmat.primitives import serialization

        ca = self._read_certificate(self.directory / "csca.crt.pem")
        key = _new_key()
        country, issuer = self._state["country"], self._state["issuer"]
        certificate = _signer_certificate(key, ca_key, ca, country, issuer, now)
        kid = kid_of(certificate.public_bytes(serialization.Encoding.DER)).hex()
        signers = self.directory / "signers"
        self._write_key(signers / f"{kid}.key.pem", key)
        self._write_certificate(signers / f"{kid}.crt.pem", certificate)
        self._state["current"] = kid
        self._save_state()
        self._signer = None

    # --- use ------------------------------------------------------------------------------

    @property
    def country(self) -> str:
        return str(self._state["country"])

    def signer(self) -> Signer:
        """The current document signer (private key, certificate, kid)."""
        if self._signer is None:
            kid = self._state["current"]
            signers = self.directory / "signers"
            self._signer = Signer(
                private_key=self._read_key(signers / f"{kid}.key.pem"),
                certificate=self._read_certificate(signers / f"{kid}.crt.pem"),
                kid=bytes.fromhex(kid),
                country=self.country,
                issuer=str(self._state["issuer"]),
            )
        return self._signer

    def trust_list(self, at: datetime | None = None) -> dict[str, Any]:
        """The §4.2 trust list: every document signer whose certificate has not expired."""
        return public_trust_list(self.directory, at).to_json()


def public_trust_list(directory: Path, at: datetime | None = None) -> TrustList:
    """The trust list of a key store, from its certificates alone (no passphrase needed)."""
    from cryptography.hazmat.primitives import serialization

    if not KeyStore.exists(directory):
        raise errors.KeyStoreMissing(path=str(directory))
    try:
        country = json.loads((directory / STATE_FILE).read_text("utf-8"))["country"]
    except (OSError, ValueError, KeyError, TypeError):
        raise errors.KeyStoreDamaged(path=STATE_FILE) from None
    moment = at or datetime.now(UTC)
    keys: list[TrustedKey] = []
    for path in sorted((directory / "signers").glob("*.crt.pem")):
        certificate = KeyStore._read_certificate(path)
        if certificate.not_valid_after_utc < moment:
            continue
        der = certificate.public_bytes(serialization.Encoding.DER)
        keys.append(trusted_certificate(der, country))
    return TrustList(tuple(keys))
