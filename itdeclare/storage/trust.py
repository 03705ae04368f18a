"""The backend's trust list and revocation list, as ``itdeclare trust update`` last fetched them.

Kept under the user data directory (``trust/``) so that ``itdeclare verify`` works offline with
the latest lists it has seen. Each file is replaced atomically; ``fetched.json`` (when and from
where) is written last, so after a crash mid-update the recorded time is never newer than the
lists, and the age a verifier reports errs on the old side. Nothing here checks signatures: the
verifier checks both lists every time it reads them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from itdeclare import locations
from itdeclare.storage.atomic import atomic_write

if TYPE_CHECKING:
    from itdeclare.certificate.revocation import RevocationList

TRUST_LIST_FILE = "trust-list.json"
REVOCATIONS_FILE = "revocations.json"
FETCHED_FILE = "fetched.json"
#: What ``server`` records when the lists came from the embedded local backend (whose URL
#: changes with every start).
LOCAL_SERVER = "local"


def server_name(server: str) -> str:
    """The server as the user should read it."""
    from itdeclare import i18n

    return i18n.t("certificate.trust.local_backend") if server == LOCAL_SERVER else server


def directory() -> Path:
    return locations.data_dir() / "trust"


@dataclass(frozen=True, slots=True)
class KeptLists:
    """Where the kept lists are, and when and from where they were fetched."""

    trust_list: Path
    revocations: Path | None
    """None when the backend published no revocation list."""
    fetched_at: datetime
    server: str

    def age_seconds(self, now: datetime | None = None) -> int:
        return int(((now or datetime.now(UTC)) - self.fetched_at).total_seconds())


def save(
    trust_list: bytes, revocations: bytes | None, *, server: str, fetched_at: datetime
) -> KeptLists:
    """Keep both documents (already checked by the caller) and when they were fetched."""
    folder = locations.ensure(directory())
    atomic_write(folder / TRUST_LIST_FILE, trust_list, mode=0o644)
    if revocations is not None:
        atomic_write(folder / REVOCATIONS_FILE, revocations, mode=0o644)
    else:
        (folder / REVOCATIONS_FILE).unlink(missing_ok=True)
    fetched = {"fetched_at": fetched_at.isoformat(), "server": server}
    atomic_write(folder / FETCHED_FILE, json.dumps(fetched).encode(), mode=0o644)
    return KeptLists(
        folder / TRUST_LIST_FILE,
        folder / REVOCATIONS_FILE if revocations is not None else None,
        fetched_at,
        server,
    )


def load() -> KeptLists | None:
    """The kept lists, or None when ``trust update`` has not run (or its record is unreadable:
    then it must simply run again)."""
    folder = directory()
    try:
        fetched = json.loads((folder / FETCHED_FILE).read_text("utf-8"))
        fetched_at = datetime.fromisoformat(fetched["fetched_at"])
        server = str(fetched["server"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if fetched_at.tzinfo is None or not (folder / TRUST_LIST_FILE).is_file():
        return None
    revocations = folder / REVOCATIONS_FILE
    return KeptLists(
        folder / TRUST_LIST_FILE,
        revocations if revocations.is_file() else None,
        fetched_at,
        server,
    )


def kept_revocations() -> RevocationList | None:
    """The kept revocation list, as the trust list kept with it vouches for it; None when there
    is none, or it no longer verifies (it then protects nothing)."""
    from itdeclare.certificate import errors, revocation
    from itdeclare.certificate.trust import TrustList

    kept = load()
    if kept is None or kept.revocations is None:
        return None
    try:
        return revocation.load_file(kept.revocations, TrustList.load(kept.trust_list))
    except errors.CertificateError:
        return None


@dataclass(frozen=True, slots=True)
class Rollback:
    """How a revocation list would take the kept one of its issuer back in time."""

    kind: Literal["older", "differs"]
    kept_sequence: int


def rollback(listed: RevocationList) -> Rollback | None:
    """Whether using ``listed`` instead of the kept list of the same issuer goes back in time.

    A revocation list's ``sequence`` only grows, and a list names only the codes revoked up to
    its number: one with a lower number than the kept list (a stale mirror, a replayed answer,
    an old file) would make codes revoked since valid again. One with the kept number but other
    entries is not the issuer's history (the issuer never signs two such). The same number and
    entries is the same list signed again. Another issuer's list is no history of this one's.
    """
    kept = kept_revocations()
    if kept is None or kept.issuer != listed.issuer:
        return None
    if listed.sequence < kept.sequence:
        return Rollback("older", kept.sequence)
    if listed.sequence == kept.sequence and listed.hashes != kept.hashes:
        return Rollback("differs", kept.sequence)
    return None
