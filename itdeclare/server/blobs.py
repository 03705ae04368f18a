"""Uploaded files: their type judged from their bytes, stored once per SHA-256, in a directory
(SQLite: one machine) or in the database (PostgreSQL: any number of hosts share it).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from fastapi import Response
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from itdeclare.server.config import ServerConfig
from itdeclare.server.db import Database, dialect_insert
from itdeclare.server.errors import ApiError
from itdeclare.server.tables import BlobChunk

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
_CHUNK = 64 * 1024
#: The size of a piece of a file kept in the database.
CHUNK_BYTES = 1024 * 1024
#: A PDF's end-of-file marker must be this close to the end (the spec says the last line;
#: writers leave a little whitespace or junk behind it).
_PDF_TAIL = 1024


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    content_type: str
    size: int


def sniff(head: bytes) -> str | None:
    """The type the first bytes announce, among those accepted; ``None`` for anything else."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def _image_is_whole(path: Path) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def _pdf_is_whole(path: Path, size: int) -> bool:
    with path.open("rb") as file:
        file.seek(max(0, size - _PDF_TAIL))
        return b"%%EOF" in file.read()


def _check(path: Path, head: bytes, size: int) -> str:
    if size == 0:
        raise ApiError(422, "attachment_empty")
    content_type = sniff(head)
    if content_type is None:
        raise ApiError(415, "attachment_type")
    whole = _pdf_is_whole(path, size) if content_type == PDF else _image_is_whole(path)
    if not whole:
        raise ApiError(422, "attachment_damaged", {"type": content_type})
    return content_type


class BlobStore:
    """Where uploaded files are kept. Each is first copied into a temporary file while it is
    hashed and measured, and checked there; only a file that passes is kept (``_keep``)."""

    def put(self, source: BinaryIO, max_bytes: int) -> StoredBlob:
        """Check ``source`` (at most ``max_bytes``) and keep it; raise ``ApiError`` otherwise."""
        directory = self._scratch_dir()
        handle, name = tempfile.mkstemp(dir=directory, prefix=".upload-")
        temporary = Path(name)
        try:
            digest, head, size = _copy(source, handle, max_bytes)
            content_type = _check(temporary, head, size)
            self._keep(temporary, digest)
            return StoredBlob(digest, content_type, size)
        finally:
            temporary.unlink(missing_ok=True)

    def response(self, sha256: str, content_type: str, size: int) -> Response:
        """The stored bytes as the answer to a download."""
        raise NotImplementedError

    def _scratch_dir(self) -> Path | None:
        """Where the temporary copy goes (``None``: the system's temporary directory)."""
        return None

    def _keep(self, temporary: Path, sha256: str) -> None:
        raise NotImplementedError


class FileBlobs(BlobStore):
    """In a directory, as ``<sha256[:2]>/<sha256>``: the temporary copy is made beside the store
    and renamed into place; a rename is atomic, so a reader sees the whole file or none, and
    storing the same bytes twice is harmless (workers may race to do it)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def response(self, sha256: str, content_type: str, size: int) -> Response:
        return FileResponse(self.path(sha256), media_type=content_type)

    def _scratch_dir(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root

    def _keep(self, temporary: Path, sha256: str) -> None:
        target = self.path(sha256)
        target.parent.mkdir(exist_ok=True)
        temporary.replace(target)
        _sync_directory(target.parent)


class DatabaseBlobs(BlobStore):
    """In the database (``blob_chunks``), in pieces of CHUNK_BYTES, all written in one
    transaction: a reader finds the whole file or none of it, and two uploads of the same bytes
    at once store it once. So several ``serve`` processes on different hosts need to share
    nothing but the database.

    Files an earlier version kept in ``legacy`` (a directory) are still served from there.
    """

    def __init__(self, db: Database, legacy: FileBlobs) -> None:
        self.db = db
        self.legacy = legacy

    def response(self, sha256: str, content_type: str, size: int) -> Response:
        first = self.db.lookup(partial(_piece, sha256=sha256, seq=0))
        if first is None:
            return self.legacy.response(sha256, content_type, size)
        return StreamingResponse(
            self._chunks(sha256, first),
            media_type=content_type,
            headers={"Content-Length": str(size)},
        )

    def _chunks(self, sha256: str, first: bytes) -> Iterator[bytes]:
        """One short query per piece, so a slow download holds no connection."""
        yield first
        seq = 1
        while (piece := self.db.lookup(partial(_piece, sha256=sha256, seq=seq))) is not None:
            yield piece
            seq += 1

    def _keep(self, temporary: Path, sha256: str) -> None:
        def store(session: Session) -> None:
            insert = dialect_insert(session)
            with temporary.open("rb") as file:
                for seq, piece in enumerate(iter(lambda: file.read(CHUNK_BYTES), b"")):
                    session.execute(
                        insert(BlobChunk)
                        .values(sha256=sha256, seq=seq, data=piece)
                        .on_conflict_do_nothing(index_elements=[BlobChunk.sha256, BlobChunk.seq])
                    )

        self.db.write(store)


_PIECE = select(BlobChunk.data).where(
    BlobChunk.sha256 == bindparam("sha256"), BlobChunk.seq == bindparam("seq")
)


def _piece(connection: Connection, sha256: str, seq: int) -> bytes | None:
    found = connection.execute(_PIECE, {"sha256": sha256, "seq": seq}).scalar_one_or_none()
    return None if found is None else bytes(found)


def blob_store(config: ServerConfig, db: Database) -> BlobStore:
    """Files in the data directory on SQLite (one machine); the database itself on PostgreSQL,
    so that any number of hosts can serve from it."""
    files = FileBlobs(config.attachments_dir)
    return files if db.sqlite else DatabaseBlobs(db, legacy=files)


def _copy(source: BinaryIO, handle: int, max_bytes: int) -> tuple[str, bytes, int]:
    digest = hashlib.sha256()
    head = b""
    size = 0
    with os.fdopen(handle, "wb") as target:
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise ApiError(413, "attachment_too_large", {"max": human_size(max_bytes)})
            head = (head + chunk[:16])[:16]
            digest.update(chunk)
            target.write(chunk)
        target.flush()
        os.fsync(target.fileno())
    return digest.hexdigest(), head, size


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
