"""The one boundary between the backend and the certificate module: signing keys and issuing.

The backend signs with the key store ``itdeclare keys init`` makes (``serve --dev`` and the
embedded backend make one on first start, with a passphrase of their own in the data dir).
Every worker opens the store itself; the passphrase comes from ``--passphrase-file`` or
``ITDECLARE_KEY_PASSPHRASE``. The codec (``issue``, ``revocation`` and CBOR) is loaded when it
first signs: the apps' local mode runs this backend in their own process, and most sessions
never sign.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from itdeclare.certificate import errors
from itdeclare.certificate.keys import PASSPHRASE_ENV, KeyStore, Signer, read_passphrase
from itdeclare.models import Declaration, HealthRecord, OutboundDocument
from itdeclare.models.status import AFTER_ARRIVAL
from itdeclare.server import files
from itdeclare.server.config import ServerConfig
from itdeclare.server.errors import ApiError
from itdeclare.server.tables import Certificate

#: An outbound certificate summarises records the traveller's destination judges by their own
#: dates; the certificate itself is valid for a week.
OUTBOUND_VALIDITY = timedelta(days=7)
#: Development mode's own passphrase, made on first start (never used without ``--dev``).
DEV_PASSPHRASE_FILE = "dev-key-passphrase"


@dataclass(frozen=True, slots=True)
class Issued:
    payload: str
    issued_at: datetime
    expires_at: datetime

    def as_row(self, account_id: str, declaration_id: str | None = None) -> Certificate:
        """The certificate as kept: for an approved declaration, or outbound (no declaration)."""
        return Certificate(
            declaration_id=declaration_id,
            account_id=account_id,
            payload=self.payload,
            issued_at=self.issued_at,
            expires_at=self.expires_at,
        )


def _whole_seconds(moment: datetime) -> datetime:
    """Certificates carry times in whole seconds; what the API reports must match them."""
    return moment.replace(microsecond=0)


class Issuer:
    def __init__(self, store: KeyStore) -> None:
        self.store = store

    def declaration_certificate(
        self, declaration: Declaration, declaration_id: str, now: datetime
    ) -> Issued:
        from itdeclare.certificate import issue

        issued_at = _whole_seconds(now)
        arrival = declaration.entry_leg.arrives_at
        # Valid until a day after landing, never longer: a code approved late must not outlast
        # its trip, and none is made once the trip is over (the chain is no longer live).
        expires_at = _whole_seconds(arrival + AFTER_ARRIVAL)
        if expires_at <= issued_at:
            raise ApiError(409, "trip_over", {"arrival": arrival})
        payload = issue.issue_declaration(
            declaration,
            declaration_id=declaration_id,
            signer=self._signer_until(expires_at),
            issued_at=issued_at,
            expires_at=expires_at,
        )
        return Issued(payload, issued_at, expires_at)

    def outbound_certificate(
        self, record: HealthRecord, document: OutboundDocument, now: datetime
    ) -> Issued:
        from itdeclare.certificate import issue

        issued_at = _whole_seconds(now)
        expires_at = issued_at + OUTBOUND_VALIDITY
        signer = self._signer_until(expires_at)
        payload = issue.issue_outbound(
            record, document, signer=signer, issued_at=issued_at, expires_at=expires_at
        )
        return Issued(payload, issued_at, expires_at)

    def can_sign(self, now: datetime) -> bool:
        """Whether the current signer's certificate lasts as long as an outbound code issued
        now (the longest fixed validity a code has): a monitor of ``/healthz`` learns a week
        ahead that the keys must be rotated, before decisions answer 503 ``signing_key_ends``."""
        return self.store.signer().certificate.not_valid_after_utc >= now + OUTBOUND_VALIDITY

    def _signer_until(self, expires_at: datetime) -> Signer:
        """The current signer, if its certificate lasts as long as the code: verifiers refuse a
        code that outlasts its signer (``certificate.verify``), so the operator must rotate the
        keys (``itdeclare keys rotate``) rather than the backend issue codes no one accepts."""
        signer = self.store.signer()
        ends = signer.certificate.not_valid_after_utc
        if ends < expires_at:
            raise ApiError(503, "signing_key_ends", {"ends": ends})
        return signer

    def trust_list(self) -> dict[str, Any]:
        return self.store.trust_list()

    def revocation_list(
        self, declaration_ids: Iterable[str], sequence: int, now: datetime
    ) -> dict[str, Any]:
        """The signed list naming the certificates of these (re-declared) declarations."""
        from itdeclare.certificate import issue, revocation

        certificate_ids = [issue.declaration_certificate_id(i) for i in declaration_ids]
        return revocation.build(
            certificate_ids, sequence=sequence, issued_at=now, signer=self.store.signer()
        )


def passphrase(config: ServerConfig) -> bytes:
    """From the configured file, else the environment, else (development only) the dev file."""
    if _operators_passphrase(config):
        return read_passphrase(config.passphrase_file)
    return _dev_passphrase(config.data_dir / DEV_PASSPHRASE_FILE)


def _operators_passphrase(config: ServerConfig) -> bool:
    """Whether the passphrase is the operator's (a file, the environment), not development
    mode's own."""
    return (
        config.passphrase_file is not None or bool(os.environ.get(PASSPHRASE_ENV)) or not config.dev
    )


def _dev_passphrase(path: Path) -> bytes:
    if not path.exists():
        files.private_dir(path.parent)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secrets.token_urlsafe(32))
    return read_passphrase(path)


def ensure_dev_keys(config: ServerConfig) -> None:
    """Development mode makes its signing keys on first start."""
    if config.dev and not KeyStore.exists(config.keys_dir):
        KeyStore.init(config.keys_dir, passphrase(config))


def open_issuer(config: ServerConfig) -> Issuer:
    """Raises ``itdeclare.certificate.errors.KeyStoreError`` (missing, wrong passphrase…);
    missing keys first, since without them no passphrase helps.

    An operator's passphrase is checked here, so that a wrong one stops the server as it
    starts. Development mode's own was written beside the keys by this backend: checking it
    costs a scrypt derivation (0.45 s of CPU, 128 MiB for a moment) and the X.509 module at
    every start of the terminal apps' local mode, most of which never sign, so the key is
    unsealed when it first signs."""
    if not KeyStore.exists(config.keys_dir):
        raise errors.KeyStoreMissing(path=str(config.keys_dir))
    store = KeyStore.open(
        config.keys_dir, passphrase(config), check_now=_operators_passphrase(config)
    )
    return Issuer(store)
