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

from itdeclare import locations
from itdeclare.storage.atomic import atomic_write

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
