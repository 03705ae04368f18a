"""An encrypted record store: named byte strings, one file each, AES-256-GCM.

Each file is a header followed by the ciphertext and its tag::

    magic "ITDV" | format (1 byte) | key id (8) | name length (1) | name | nonce (12) | ciphertext

The whole header and the collection's name are authenticated as associated data, so a file
edited, renamed, copied over another record or moved to another collection fails to decrypt.
Every write uses a fresh random nonce and replaces the file atomically.

A file that cannot be read is reported as a :class:`CorruptRecord` (in ``Vault.problems``) and
never deleted: damaged files move to the ``quarantine`` directory, files written by a newer
version stay where they are for that version to read.
"""

from __future__ import annotations

import re
import secrets
import threading
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from itdeclare import i18n, locations
from itdeclare.storage.atomic import atomic_write, clean_stale_temps
from itdeclare.storage.errors import StorageError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from itdeclare.storage.data_key import DataKey

MAGIC = b"ITDV"
FORMAT_VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
RECORD_SUFFIX = ".rec"
QUARANTINE_DIR = "quarantine"

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


class CorruptReason(StrEnum):
    UNREADABLE = "unreadable"  # the file system refused to read it (left in place)
    TRUNCATED = "truncated"
    NOT_A_RECORD = "not_a_record"
    NEWER_FORMAT = "newer_format"  # left in place for the newer version
    OTHER_KEY = "other_key"
    MISPLACED = "misplaced"  # renamed, or copied over another record
    TAMPERED = "tampered"  # authentication failed: edited, damaged or from another collection
    INVALID_CONTENT = "invalid_content"  # decrypted, but not the record the store expects
    NEWER_SCHEMA = "newer_schema"  # left in place for the newer version


#: Reasons for which the file stays where it is: it is not damaged, only not readable here.
LEFT_IN_PLACE = frozenset(
    {CorruptReason.UNREADABLE, CorruptReason.NEWER_FORMAT, CorruptReason.NEWER_SCHEMA}
)


class CorruptRecord(NamedTuple):
    """A record that could not be read, for the UI to tell the user about."""

    collection: str
    name: str
    #: Where the file is now: in the quarantine directory, or still in place.
    path: Path
    reason: CorruptReason
    #: Technical detail (an exception's text), for logs and bug reports.
    detail: str = ""

    @property
    def quarantined(self) -> bool:
        return self.reason not in LEFT_IN_PLACE

    def message(self, language: i18n.Language | None = None) -> str:
        what = i18n.t(f"storage.collection.{self.collection}", language)
        return i18n.t(f"storage.corrupt.{self.reason.value}", language, what=what, path=self.path)


class _Unreadable(Exception):
    def __init__(self, reason: CorruptReason, detail: str = "") -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"invalid record name {name!r}")
    return name


def _header(key_id: bytes, name: str, nonce: bytes) -> bytes:
    encoded = name.encode("ascii")
    return MAGIC + bytes([FORMAT_VERSION]) + key_id + bytes([len(encoded)]) + encoded + nonce


_FIXED = len(MAGIC) + 1 + 8 + 1  # magic, format, key id, name length


class _Header(NamedTuple):
    raw: bytes
    key_id: bytes
    name: str
    nonce: bytes


def _parse(blob: bytes) -> tuple[_Header, bytes]:
    """Split a file into its header and the sealed content, or say why it is no record."""
    if len(blob) <= len(MAGIC):
        raise _Unreadable(CorruptReason.TRUNCATED, f"{len(blob)} bytes")
    if not blob.startswith(MAGIC) or blob[len(MAGIC)] == 0:
        raise _Unreadable(CorruptReason.NOT_A_RECORD, "no itdeclare header")
    if blob[len(MAGIC)] > FORMAT_VERSION:
        raise _Unreadable(CorruptReason.NEWER_FORMAT, f"format {blob[len(MAGIC)]}")
    if len(blob) < _FIXED:
        raise _Unreadable(CorruptReason.TRUNCATED, f"{len(blob)} bytes")
    name_end = _FIXED + blob[_FIXED - 1]
    end = name_end + NONCE_BYTES
    if len(blob) < end + TAG_BYTES:
        raise _Unreadable(CorruptReason.TRUNCATED, f"{len(blob)} bytes")
    key_id = blob[len(MAGIC) + 1 : _FIXED - 1]
    name = blob[_FIXED:name_end].decode("ascii", "replace")
    return _Header(blob[:end], key_id, name, blob[name_end:end]), blob[end:]


def _associated_data(header: bytes, collection: str) -> bytes:
    return header + b"\x00" + collection.encode("ascii")


class Vault:
    """The records of one collection (``drafts``, ``people``…) in one directory."""

    def __init__(self, directory: Path, key: DataKey, collection: str, quarantine: Path) -> None:
        self.directory = locations.ensure(directory)
        self.collection = collection
        self._key = key
        self._quarantine = quarantine
        self._cipher: AESGCM | None = None
        self._lock = threading.Lock()
        self._problems: dict[Path, CorruptRecord] = {}
        clean_stale_temps(self.directory)

    @property
    def problems(self) -> list[CorruptRecord]:
        """The unreadable records met so far, each once."""
        with self._lock:
            return list(self._problems.values())

    def _aead(self) -> AESGCM:
        if self._cipher is None:
            # The class of ``cryptography.hazmat.primitives.ciphers.aead``, taken from the
            # compiled core it is defined in: that module's package imports every other cipher
            # and mode first, 10 M instructions (about 1 % of the app's start) the home list
            # waits for. A test checks it is the same class.
            from cryptography.hazmat.bindings._rust import openssl

            self._cipher = openssl.aead.AESGCM(self._key.secret)
        return self._cipher

    def path(self, name: str) -> Path:
        return self.directory / f"{_check_name(name)}{RECORD_SUFFIX}"

    def names(self) -> list[str]:
        """The names of the records present, readable or not, sorted."""
        return sorted(
            entry.name.removesuffix(RECORD_SUFFIX)
            for entry in self.directory.iterdir()
            if entry.name.endswith(RECORD_SUFFIX) and _NAME.fullmatch(entry.stem)
        )

    def put(self, name: str, data: bytes) -> None:
        path = self.path(name)
        nonce = secrets.token_bytes(NONCE_BYTES)
        header = _header(self._key.key_id, name, nonce)
        sealed = self._aead().encrypt(nonce, data, _associated_data(header, self.collection))
        try:
            atomic_write(path, header + sealed)
        except OSError as exc:
            raise StorageError("write_failed", path=path, reason=exc.strerror or exc) from exc

    def get(self, name: str) -> bytes | None:
        """The record's content; ``None`` when it is absent or unreadable (then reported)."""
        path = self.path(name)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._report(name, path, CorruptReason.UNREADABLE, str(exc))
            return None
        try:
            return self._open(name, blob)
        except _Unreadable as problem:
            self.set_aside(name, problem.reason, problem.detail)
            return None

    def delete(self, name: str) -> bool:
        path = self.path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StorageError("write_failed", path=path, reason=exc.strerror or exc) from exc
        return True

    def _open(self, name: str, blob: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag

        header, sealed = _parse(blob)
        if header.key_id != self._key.key_id:
            raise _Unreadable(CorruptReason.OTHER_KEY, f"key id {header.key_id.hex()}")
        if header.name != name:
            raise _Unreadable(CorruptReason.MISPLACED, f"written as {header.name!r}")
        aad = _associated_data(header.raw, self.collection)
        try:
            return self._aead().decrypt(header.nonce, sealed, aad)
        except InvalidTag as exc:
            raise _Unreadable(CorruptReason.TAMPERED, "authentication failed") from exc

    def set_aside(self, name: str, reason: CorruptReason, detail: str = "") -> CorruptRecord:
        """Report record ``name`` as unreadable, moving it to quarantine unless it is kept."""
        path = self.path(name)
        if reason in LEFT_IN_PLACE:
            return self._report(name, path, reason, detail)
        locations.ensure(self._quarantine)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self._quarantine / f"{self.collection}-{name}-{stamp}{RECORD_SUFFIX}"
        try:
            path.replace(target)
        except FileNotFoundError:
            # Another reader set it aside first and reported it; say so once only.
            return CorruptRecord(self.collection, name, path, reason, detail)
        except OSError as exc:
            return self._report(name, path, reason, f"{detail}; not moved: {exc}")
        return self._report(name, target, reason, detail)

    def _report(self, name: str, path: Path, reason: CorruptReason, detail: str) -> CorruptRecord:
        record = CorruptRecord(self.collection, name, path, reason, detail)
        with self._lock:
            return self._problems.setdefault(path, record)
