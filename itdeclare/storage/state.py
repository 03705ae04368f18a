"""The client's whole local state under the data directory, opened on first use.

Layout of the data directory::

    key.json          where the data key is kept (not the key itself)
    data.key          the key, when it is kept in a file (mode 0600)
    drafts/           one encrypted file per draft
    people/           … per person filed for
    certificates/     … per certificate kept for offline display
    session/          … per backend signed in to
    reports/          … per test report attached to a draft (named by its SHA-256)
    quarantine/       files that could not be read, set aside with a timestamp

Opening reads the key. Where the OS keyring keeps it, that may prompt or block: open in a
thread worker unless ``opens_at_once`` says the key is in a file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from itdeclare import locations
from itdeclare.storage.data_key import DataKey, KeySource, key_kept_in_file, open_data_key
from itdeclare.storage.errors import StorageError
from itdeclare.storage.records import utc_now
from itdeclare.storage.stores import (
    CertificateStore,
    Clock,
    DraftStore,
    PeopleStore,
    ReportStore,
    SessionStore,
    SignInPhoneStore,
)
from itdeclare.storage.vault import QUARANTINE_DIR, RECORD_SUFFIX, CorruptRecord, Vault

S = TypeVar("S")


@contextmanager
def _opening(path: Path) -> Iterator[None]:
    """Turn the file system's refusal to open ``path`` into an explained error."""
    try:
        yield
    except OSError as exc:
        raise StorageError("open_failed", path=path, reason=exc.strerror or exc) from exc


class LocalState:
    """Drafts, people, certificates and sessions of this user, encrypted at rest."""

    def __init__(self, root: Path | None = None, *, clock: Clock = utc_now) -> None:
        self.root = root if root is not None else locations.data_dir()
        self._clock = clock
        self._lock = threading.RLock()
        self._key: DataKey | None = None
        self._stores: dict[str, Any] = {}

    @property
    def key(self) -> DataKey:
        """The data key, made on first use; raises ``KeyUnavailable`` if it cannot be read."""
        with self._lock:
            if self._key is None:
                with _opening(self.root):
                    locations.ensure(self.root)
                    self._key = open_data_key(self.root, data_exists=self._holds_records())
            return self._key

    @property
    def opens_at_once(self) -> bool:
        """Whether reading the stores cannot wait on the OS keyring (the key is read already, or
        kept in a file): then an interface may read them in its own thread."""
        # Not under the lock: the thread reading the key holds it while the keyring waits.
        return self._key is not None or key_kept_in_file(self.root)

    @property
    def key_source(self) -> KeySource:
        return self.key.source

    def _holds_records(self) -> bool:
        return any(self.root.glob(f"*/*{RECORD_SUFFIX}"))

    def _store(self, collection: str, build: Callable[[Vault], S]) -> S:
        with self._lock:
            if collection not in self._stores:
                directory = self.root / collection
                with _opening(directory):
                    vault = Vault(directory, self.key, collection, self.quarantine_dir)
                self._stores[collection] = build(vault)
            store: S = self._stores[collection]
            return store

    @property
    def drafts(self) -> DraftStore:
        return self._store("drafts", lambda vault: DraftStore(vault, self._clock))

    @property
    def reports(self) -> ReportStore:
        """The copies of the reports attached to drafts."""
        return self._store("reports", ReportStore)

    @property
    def people(self) -> PeopleStore:
        return self._store("people", PeopleStore)

    @property
    def certificates(self) -> CertificateStore:
        return self._store("certificates", CertificateStore)

    @property
    def session(self) -> SessionStore:
        return self._store("session", SessionStore)

    @property
    def sign_in_phones(self) -> SignInPhoneStore:
        return self._store("phones", SignInPhoneStore)

    @property
    def quarantine_dir(self) -> Path:
        return self.root / QUARANTINE_DIR

    @property
    def problems(self) -> list[CorruptRecord]:
        """Unreadable files met since this state was opened, in every store opened so far."""
        with self._lock:
            stores = list(self._stores.values())
        return [problem for store in stores for problem in store.problems]

    def quarantined(self) -> list[Path]:
        """Every file set aside so far, this run or earlier, oldest name first."""
        if not self.quarantine_dir.is_dir():
            return []
        return sorted(self.quarantine_dir.glob(f"*{RECORD_SUFFIX}"))
