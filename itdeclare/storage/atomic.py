"""Crash-safe file replacement.

A file is written whole to a temporary file beside it, flushed to disk, then renamed over the
old one: a reader (or a process restarted after a crash) sees either the old content or the new,
never a mixture. A process killed mid-write leaves at most a temporary file behind, which
:func:`clean_stale_temps` removes the next time the directory is opened.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from pathlib import Path

#: A temporary file left for longer than this is stale even if its writer's id is alive again
#: (process ids are reused); no real write takes anywhere near this long.
STALE_AFTER_SECONDS = 600.0

_TEMP_NAME = re.compile(r"^\..+\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$")


def _temp_path(target: Path) -> Path:
    # The writer's process id in the name tells a stale file from one being written right now.
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def fsync_directory(directory: Path) -> None:
    """Make a rename inside ``directory`` durable (POSIX; Windows cannot open a directory)."""
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` atomically, readable only as ``mode`` allows.

    Raises ``OSError`` when the disk refuses; then ``path`` is unchanged and no temporary file
    remains (the same holds for ``KeyboardInterrupt`` at any point).
    """
    path = Path(path)
    temp = _temp_path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, mode)
    try:
        with os.fdopen(fd, "wb") as file:
            if hasattr(os, "fchmod"):
                os.fchmod(file.fileno(), mode)  # the umask must not widen or narrow it
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        temp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_directory(path.parent)


def _process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs; ``True`` when it cannot be told (Windows, foreign user)."""
    if os.name == "nt":
        return True  # os.kill would terminate it; the age limit cleans these files instead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_stale_temps(directory: Path) -> list[Path]:
    """Remove temporary files left by writers that died mid-write; return what was removed."""
    removed: list[Path] = []
    now = time.time()
    for entry in directory.iterdir():
        match = _TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            age = now - entry.stat().st_mtime
            if age > STALE_AFTER_SECONDS or not _process_alive(int(match["pid"])):
                entry.unlink()
                removed.append(entry)
        except FileNotFoundError:
            continue  # its writer finished (or another process cleaned it) meanwhile
    return removed
