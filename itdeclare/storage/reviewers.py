"""Reviewer tokens of the consulate console, encrypted at rest like the rest of the local state.

The traveller's :class:`~itdeclare.storage.stores.SessionStore` keeps one signed-in phone per
backend; a reviewer has no phone, and against the embedded backend one person may review for
several consulates in turn. So the console keeps its tokens here, in their own collection
(``reviewers/`` in the data directory, one AES-GCM record per token, written atomically with
mode 0600), one per *slot*: the backend URL for a deployed backend, ``local:<CONSULATE>`` for
the embedded one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from itdeclare.storage.records import utc_now
from itdeclare.storage.state import LocalState
from itdeclare.storage.stores import _Collection
from itdeclare.storage.vault import Vault

COLLECTION = "reviewers"
LOCAL_PREFIX = "local:"


def local_slot(consulate: str) -> str:
    """The slot of the embedded backend's reviewer for ``consulate``."""
    return f"{LOCAL_PREFIX}{consulate}"


@dataclass(kw_only=True)
class ReviewerSession:
    """A reviewer token and where it is valid."""

    schema_version: int = 1
    slot: str
    """The backend URL, or ``local:<CONSULATE>`` for the embedded backend."""
    consulate: str
    token: str = field(repr=False)
    used_at: datetime = field(default_factory=utc_now)
    """When the console last signed in with it: the newest local one is offered first."""


class ReviewerStore(_Collection[ReviewerSession]):
    model = ReviewerSession

    @staticmethod
    def _name(slot: str) -> str:
        return "r-" + hashlib.sha256(slot.encode("utf-8")).hexdigest()[:40]

    def load(self, slot: str) -> ReviewerSession | None:
        found = self._read(self._name(slot))
        return found if found is not None and found.slot == slot else None

    def save(self, session: ReviewerSession) -> ReviewerSession:
        self._write(self._name(session.slot), session)
        return session

    def forget(self, slot: str) -> bool:
        return self._vault.delete(self._name(slot))

    def last_local(self) -> ReviewerSession | None:
        """The embedded backend's reviewer used most recently, if any."""
        local = [s for s in self._read_all() if s.slot.startswith(LOCAL_PREFIX)]
        return max(local, key=lambda session: session.used_at, default=None)


def open_reviewer_store(state: LocalState) -> ReviewerStore:
    """The reviewer tokens of ``state``'s user (reads the data key: call it in a thread)."""
    vault = Vault(state.root / COLLECTION, state.key, COLLECTION, state.quarantine_dir)
    return ReviewerStore(vault)
