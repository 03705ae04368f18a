"""The backend's files are the owner's alone: directories 0700, files 0600.

The database holds passport numbers and phones in clear, the attachments are identity papers,
the keys sign health codes. Whatever the process umask, everything the backend makes is
created private, and whatever an older version or an operator left looser is tightened when a
backend (``serve``, ``admin``, the embedded one) starts. Only paths the backend owns are
touched; an operator's own directory given as the data dir is made private too, since the
database lives in it (but never a directory above it: the database may sit in any folder).
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from itdeclare.locations import ensure as private_dir

log = logging.getLogger(__name__)

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
#: SQLite's companions of a database file; it creates them with the database file's mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 if it is missing (so that whatever opens it next, SQLite
    included, finds it private); tighten it otherwise."""
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        restrict(path, PRIVATE_FILE)


def private_sqlite(database: Path) -> None:
    """The database file made or tightened before SQLite opens it, and its companions left by
    an earlier run tightened too (new ones take the database file's mode)."""
    private_file(database)
    for suffix in SQLITE_COMPANIONS:
        restrict(database.with_name(database.name + suffix), PRIVATE_FILE)


def tighten_tree(root: Path) -> None:
    """``root`` and everything under it: directories 0700, files 0600 (symlinks left alone)."""
    if not root.is_dir() or root.is_symlink():
        return
    restrict(root, PRIVATE_DIR)
    for directory, subdirectories, names in os.walk(root):
        base = Path(directory)
        for name in subdirectories:
            restrict(base / name, PRIVATE_DIR)
        for name in names:
            restrict(base / name, PRIVATE_FILE)


def tighten(paths: Iterable[Path]) -> None:
    """Files to 0600 and directories (with their contents) to 0700; missing ones are skipped."""
    for path in paths:
        if path.is_dir():
            tighten_tree(path)
        elif path.exists():
            restrict(path, PRIVATE_FILE)


def restrict(path: Path, mode: int) -> None:
    """Take away the bits beyond ``mode``; nothing is added, and a path already private is not
    touched (so a read-only mount of private files is fine). A path that cannot be changed (an
    operator's, owned by someone else) is reported in the log, not fatal."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        return
    current = stat.S_IMODE(status.st_mode)
    if stat.S_ISLNK(status.st_mode) or current & ~mode == 0:
        return
    try:
        path.chmod(current & mode)
    except OSError as error:
        log.warning("cannot make %s private (mode %o): %s", path, current, error)


def tighten_backend(data_dir: Path, owned: Iterable[Path]) -> None:
    """At start: the data dir itself (not what else it holds) and every path the backend owns
    (the database and its companions, attachments, keys, secrets), whatever made them."""
    restrict(data_dir, PRIVATE_DIR)
    tighten(owned)
