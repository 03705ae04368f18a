"""Typed stores of the client's records, on top of the encrypted :class:`Vault`.

Reading never raises for a bad file: it is reported in ``problems`` (and set aside) and the
other records stay available. Writing raises :class:`StorageError` when the disk refuses.
All methods are safe to call from several threads.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from itdeclare.plain import from_plain, to_plain
from itdeclare.storage.errors import StorageError
from itdeclare.storage.records import (
    Certificate,
    Draft,
    Person,
    Session,
    SignInPhone,
    utc_now,
)
from itdeclare.storage.vault import CorruptReason, CorruptRecord, Vault

M = TypeVar("M")
Clock = Callable[[], datetime]

_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def record_name(record_id: str) -> str:
    """A file name for any id: the id itself when it is plain, else a digest of it."""
    if _PLAIN_ID.fullmatch(record_id):
        return record_id
    return "x-" + hashlib.sha256(record_id.encode("utf-8")).hexdigest()[:40]


def _schema_version(model: type[Any]) -> int:
    """The version a record class writes: its ``schema_version`` field's default."""
    version = next(f.default for f in dataclasses.fields(model) if f.name == "schema_version")
    assert isinstance(version, int), f"{model.__name__} lacks a default schema_version"
    return version


class _Collection(Generic[M]):
    #: The record model each file holds.
    model: type[M]

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._schema_version = _schema_version(self.model)

    @property
    def problems(self) -> list[CorruptRecord]:
        """Files of this store that could not be read, each reported once."""
        return self._vault.problems

    def _read(self, name: str) -> M | None:
        data = self._vault.get(name)
        if data is None:
            return None
        try:
            raw = json.loads(data)
            version = raw.get("schema_version") if isinstance(raw, dict) else None
            if isinstance(version, int) and version > self._schema_version:
                self._vault.set_aside(name, CorruptReason.NEWER_SCHEMA, f"schema {version}")
                return None
            return from_plain(self.model, raw)
        except ValueError as exc:  # JSONDecodeError and ConversionError are ValueErrors
            self._vault.set_aside(name, CorruptReason.INVALID_CONTENT, str(exc))
            return None

    def _read_all(self) -> list[M]:
        records = (self._read(name) for name in self._vault.names())
        return [record for record in records if record is not None]

    def _write(self, name: str, record: M) -> None:
        data = json.dumps(to_plain(record), ensure_ascii=False, separators=(",", ":"))
        self._vault.put(name, data.encode("utf-8"))

    def _exists(self, name: str) -> bool:
        return self._vault.path(name).exists()


class DraftStore(_Collection[Draft]):
    """Drafts of declarations, newest first."""

    model = Draft

    def __init__(self, vault: Vault, clock: Clock = utc_now) -> None:
        super().__init__(vault)
        self._clock = clock
        self._lock = threading.Lock()
        self._revisions: dict[str, int] = {}

    def _remember(self, draft: Draft) -> None:
        with self._lock:
            known = self._revisions.get(draft.id, 0)
            self._revisions[draft.id] = max(known, draft.revision)

    def list(self) -> list[Draft]:
        drafts = self._read_all()
        for draft in drafts:
            self._remember(draft)
        return sorted(drafts, key=lambda draft: draft.updated_at, reverse=True)

    def load(self, draft_id: str) -> Draft | None:
        draft = self._read(record_name(draft_id))
        if draft is not None:
            self._remember(draft)
        return draft

    def save(self, draft: Draft) -> Draft:
        """Write ``draft`` and return the copy written, with its new revision and time.

        The revision exceeds both the given one and any this store has written or read for
        the same id, so a stale copy saved late still moves forward.
        """
        with self._lock:
            revision = max(draft.revision, self._revisions.get(draft.id, 0)) + 1
            saved = dataclasses.replace(
                copy.deepcopy(draft), revision=revision, updated_at=self._clock()
            )
            self._write(record_name(draft.id), saved)
            self._revisions[draft.id] = revision
        return saved

    def delete(self, draft_id: str) -> bool:
        return self._vault.delete(record_name(draft_id))


class ReportStore:
    """The bytes of the reports attached to drafts, one encrypted file per SHA-256: the copy
    taken when the file was attached is what uploads, whatever became of the original."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault

    @staticmethod
    def _name(sha256: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return sha256

    def keep(self, content: bytes) -> str:
        """Keep ``content`` (once, however often it is attached); return its SHA-256."""
        sha256 = hashlib.sha256(content).hexdigest()
        if not self._vault.path(sha256).exists():
            self._vault.put(sha256, content)
        return sha256

    def read(self, sha256: str) -> bytes | None:
        """The content kept under ``sha256``; ``None`` if absent or damaged (then reported)."""
        content = self._vault.get(self._name(sha256))
        if content is not None and hashlib.sha256(content).hexdigest() != sha256:
            return None
        return content

    def forget(self, sha256: str) -> bool:
        return self._vault.delete(self._name(sha256))

    @property
    def problems(self) -> list[CorruptRecord]:
        return self._vault.problems


class PeopleStore(_Collection[Person]):
    """The people this account files for, in the order they were added."""

    model = Person

    def list(self) -> list[Person]:
        return sorted(self._read_all(), key=lambda person: person.created_at)

    def get(self, person_id: str) -> Person | None:
        return self._read(record_name(person_id))

    def add(self, person: Person) -> Person:
        if self._exists(record_name(person.id)):
            raise StorageError("person_exists", id=person.id)
        self._write(record_name(person.id), person)
        return person

    def update(self, person: Person) -> Person:
        if not self._exists(record_name(person.id)):
            raise StorageError("person_missing", id=person.id)
        self._write(record_name(person.id), person)
        return person

    def remove(self, person_id: str) -> bool:
        return self._vault.delete(record_name(person_id))


class CertificateStore(_Collection[Certificate]):
    """Issued certificates kept for offline display, newest first."""

    model = Certificate

    def list(self, person_id: str | None = None) -> list[Certificate]:
        kept = [c for c in self._read_all() if person_id is None or c.person_id == person_id]
        return sorted(kept, key=lambda certificate: certificate.issued_at, reverse=True)

    def load(self, certificate_id: str) -> Certificate | None:
        return self._read(record_name(certificate_id))

    def save(self, certificate: Certificate) -> Certificate:
        self._write(record_name(certificate.id), certificate)
        return certificate

    def delete(self, certificate_id: str) -> bool:
        return self._vault.delete(record_name(certificate_id))


class SessionStore(_Collection[Session]):
    """One session (bearer token) per backend URL."""

    model = Session

    @staticmethod
    def _name(server: str) -> str:
        return "s-" + hashlib.sha256(server.encode("utf-8")).hexdigest()[:40]

    def load(self, server: str) -> Session | None:
        session = self._read(self._name(server))
        return session if session is not None and session.server == server else None

    def save(self, session: Session) -> Session:
        self._write(self._name(session.server), session)
        return session

    def clear(self, server: str) -> bool:
        return self._vault.delete(self._name(server))


class SignInPhoneStore(_Collection[SignInPhone]):
    """The phone last signed in with, one per backend URL."""

    model = SignInPhone

    def load(self, server: str) -> str | None:
        known = self._read(SessionStore._name(server))
        return known.phone if known is not None and known.server == server else None

    def save(self, server: str, phone: str) -> None:
        self._write(SessionStore._name(server), SignInPhone(server=server, phone=phone))
