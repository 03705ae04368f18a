"""Uploaded files: their type judged from their bytes, stored once per SHA-256.

A file is copied into a temporary file beside the store while it is hashed and measured, checked,
then renamed to ``<sha256[:2]>/<sha256>``; a rename is atomic, so a reader sees the whole file
or none, and storing the same bytes twice is harmless (workers may race to do it).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from itdeclare.server import files
from itdeclare.server.errors import ApiError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
_CHUNK = 64 * 1024
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
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, source: BinaryIO, max_bytes: int) -> StoredBlob:
        """Check ``source`` (at most ``max_bytes``) and keep it; raise ``ApiError`` otherwise."""
        files.private_dir(self.root)
        handle, name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        temporary = Path(name)
        try:
            digest, head, size = _copy(source, handle, max_bytes)
            content_type = _check(temporary, head, size)
            target = self.path(digest)
            files.private_dir(target.parent)
            temporary.replace(target)
            _sync_directory(target.parent)
            return StoredBlob(digest, content_type, size)
        finally:
            temporary.unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")


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
