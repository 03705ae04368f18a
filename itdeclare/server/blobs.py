"""Uploaded files, stored once per SHA-256, after ``uploads.check`` has passed them.

A file is copied into a temporary file beside the store, then renamed to
``<sha256[:2]>/<sha256>``; a rename is atomic, so a reader sees the whole file or none, and
storing the same bytes twice is harmless (workers may race to do it). Every file and directory
is the owner's alone. ``sweep`` removes the files no attachment names any more.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Set
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from itdeclare.server import files

if TYPE_CHECKING:
    from itdeclare.server.uploads import CheckedUpload

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
_CHUNK = 64 * 1024
TEMPORARY_PREFIX = ".upload-"
#: Files younger than this are never swept: their upload may still be on its way to its row.
SWEEP_GRACE = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    content_type: str
    size: int


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, source: BinaryIO, checked: CheckedUpload) -> StoredBlob:
        """Keep ``source``, which ``uploads.check`` has judged as ``checked``."""
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

    def sweep(self, referenced: Set[str], grace: timedelta = SWEEP_GRACE) -> int:
        """Remove the files no attachment names (and uploads left half-written), if older than
        ``grace``: an upload may be between its write and its row, in any worker. How many."""
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
