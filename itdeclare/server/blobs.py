"""Uploaded files, stored once per SHA-256, after ``uploads.check`` has passed them: in a
directory (SQLite: one machine) or in the database itself (PostgreSQL: any number of hosts
share it and nothing else). ``sweep`` removes what no attachment names any more.
"""

from __future__ import annotations

import os
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Set
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.orm import Session

from itdeclare.server import files
from itdeclare.server.config import ServerConfig
from itdeclare.server.db import Database, dialect_insert
from itdeclare.server.tables import BlobChunk, utcnow

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    """An upload judged acceptable (``uploads.check``), before any byte of it is kept."""

    sha256: str
    content_type: str
    size: int


#: The size of a piece of a file kept in the database.
CHUNK_BYTES = 1024 * 1024
TEMPORARY_PREFIX = ".upload-"
#: Files younger than this are never swept: their upload may still be on its way to its row.
SWEEP_GRACE = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    content_type: str
    size: int


class BlobStore(ABC):
    """Where uploaded files are kept (``blob_store`` chooses)."""

    @abstractmethod
    def put(self, source: BinaryIO, checked: CheckedUpload) -> StoredBlob:
        """Keep ``source``, which ``uploads.check`` has judged as ``checked``."""

    @abstractmethod
    def response(self, sha256: str, content_type: str, size: int, filename: str) -> Response:
        """The stored bytes as a download named ``filename`` (never shown inline)."""

    @abstractmethod
    def sweep(self, referenced: Set[str], grace: timedelta = SWEEP_GRACE) -> int:
        """Remove the files no attachment names, if older than ``grace``: an upload may be
        between its write and its row, in any worker. How many."""


class FileBlobs(BlobStore):
    """In a directory, as ``<sha256[:2]>/<sha256>``. A file is copied into a temporary file
    beside the store, then renamed; a rename is atomic, so a reader sees the whole file or none,
    and storing the same bytes twice is harmless (workers may race to do it). Every file and
    directory is the owner's alone."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, source: BinaryIO, checked: CheckedUpload) -> StoredBlob:
        files.private_dir(self.root)
        handle, name = tempfile.mkstemp(dir=self.root, prefix=TEMPORARY_PREFIX)
        temporary = Path(name)
        try:
            source.seek(0)
            _copy(source, handle)
            target = self.path(checked.sha256)
            files.private_dir(target.parent)
            temporary.replace(target)
            _sync_directory(target.parent)
            return StoredBlob(checked.sha256, checked.content_type, checked.size)
        finally:
            temporary.unlink(missing_ok=True)

    def response(self, sha256: str, content_type: str, size: int, filename: str) -> Response:
        return FileResponse(
            self.path(sha256),
            media_type=content_type,
            filename=filename,
            content_disposition_type="attachment",
        )

    def sweep(self, referenced: Set[str], grace: timedelta = SWEEP_GRACE) -> int:
        """The files no attachment names, and uploads left half-written."""
        if not self.root.is_dir():
            return 0
        cutoff = time.time() - grace.total_seconds()
        removed = 0
        for path in self.root.glob("*/*"):
            if path.name not in referenced and _older(path, cutoff):
                path.unlink(missing_ok=True)
                removed += 1
        for path in self.root.glob(f"{TEMPORARY_PREFIX}*"):
            if _older(path, cutoff):
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")


class DatabaseBlobs(BlobStore):
    """In the database (``blob_chunks``), in pieces of CHUNK_BYTES, all written in one
    transaction: a reader finds the whole file or none of it, and two uploads of the same bytes
    at once store it once. Files an earlier version kept in ``legacy`` (a directory) are still
    served from there, and swept there."""

    def __init__(self, db: Database, legacy: FileBlobs) -> None:
        self.db = db
        self.legacy = legacy

    def put(self, source: BinaryIO, checked: CheckedUpload) -> StoredBlob:
        def store(session: Session) -> None:
            insert = dialect_insert(session)
            source.seek(0)
            now = utcnow()
            for seq, piece in enumerate(iter(lambda: source.read(CHUNK_BYTES), b"")):
                session.execute(
                    insert(BlobChunk)
                    .values(sha256=checked.sha256, seq=seq, data=piece, created_at=now)
                    .on_conflict_do_nothing(index_elements=[BlobChunk.sha256, BlobChunk.seq])
                )

        self.db.write(store)
        return StoredBlob(checked.sha256, checked.content_type, checked.size)

    def response(self, sha256: str, content_type: str, size: int, filename: str) -> Response:
        first = self.db.lookup(partial(_piece, sha256=sha256, seq=0))
        if first is None:
            return self.legacy.response(sha256, content_type, size, filename)
        return StreamingResponse(
            self._pieces(sha256, first),
            media_type=content_type,
            headers={
                "Content-Length": str(size),
                "Content-Disposition": _as_attachment(filename),
            },
        )

    def _pieces(self, sha256: str, first: bytes) -> Iterator[bytes]:
        """One short query per piece, so a slow download holds no connection."""
        yield first
        seq = 1
        while (piece := self.db.lookup(partial(_piece, sha256=sha256, seq=seq))) is not None:
            yield piece
            seq += 1

    def sweep(self, referenced: Set[str], grace: timedelta = SWEEP_GRACE) -> int:
        """The files no attachment names, in the database and in the legacy directory."""
        cutoff = utcnow() - grace

        def remove(session: Session) -> int:
            stored = session.execute(
                select(BlobChunk.sha256).where(BlobChunk.seq == 0, BlobChunk.created_at < cutoff)
            ).scalars()
            unnamed = set(stored) - set(referenced)
            if unnamed:
                session.execute(delete(BlobChunk).where(BlobChunk.sha256.in_(unnamed)))
            return len(unnamed)

        return self.db.write(remove) + self.legacy.sweep(referenced, grace)


def _as_attachment(filename: str) -> str:
    """The header ``FileResponse`` gives a download, for a response streamed from elsewhere."""
    quoted = quote(filename)
    if quoted != filename:
        return f"attachment; filename*=utf-8''{quoted}"
    return f'attachment; filename="{filename}"'


_PIECE = select(BlobChunk.data).where(
    BlobChunk.sha256 == bindparam("sha256"), BlobChunk.seq == bindparam("seq")
)


def _piece(connection: Connection, sha256: str, seq: int) -> bytes | None:
    found = connection.execute(_PIECE, {"sha256": sha256, "seq": seq}).scalar_one_or_none()
    return None if found is None else bytes(found)


def blob_store(config: ServerConfig, db: Database) -> BlobStore:
    """Files in the data directory on SQLite (one machine); the database itself on PostgreSQL,
    so that any number of hosts can serve from it."""
    directory = FileBlobs(config.attachments_dir)
    return directory if db.sqlite else DatabaseBlobs(db, legacy=directory)


def _copy(source: BinaryIO, handle: int) -> None:
    with os.fdopen(handle, "wb") as target:
        while chunk := source.read(_CHUNK):
            target.write(chunk)
        target.flush()
        os.fsync(target.fileno())


def _older(path: Path, cutoff: float) -> bool:
    try:
        return path.is_file() and path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX; elsewhere a directory cannot be opened)."""
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def human_size(size: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} B"
