"""Attachments on the reviewer's machine: a private copy, checked, then the system viewer.

A downloaded file goes into a directory only the user can read (created on first use, removed
when the console quits), under its attachment id and the extension of its type, and is checked
against the SHA-256 the server recorded at upload. The platform's opener (``xdg-open``, ``open``,
``os.startfile``) shows it; when there is none, the console shows the file's metadata instead.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

#: Shows a file to the user; raises ``OSError`` when it cannot.
Opener = Callable[[Path], None]

EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

#: An opener that is still running after this long is taken to be showing the file.
OPENER_GRACE_SECONDS = 5.0


class OpenerFailed(OSError):
    """The system viewer refused the file (it exited with an error status)."""


def _command_opener(executable: str) -> Opener:
    def open_file(path: Path) -> None:
        process = subprocess.Popen(
            [executable, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # the viewer outlives neither a ctrl+c nor our terminal
        )
        try:
            status = process.wait(timeout=OPENER_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            return
        if status != 0:
            raise OpenerFailed(f"{Path(executable).name} exited with status {status}")

    return open_file


def system_opener() -> Opener | None:
    """The platform's way to show a file, or ``None`` when this system has none."""
    if sys.platform == "win32":
        start: Opener = os.startfile  # type: ignore[attr-defined,unused-ignore]
        return start
    executable = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
    return _command_opener(executable) if executable else None


class ChecksumMismatch(ValueError):
    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"SHA-256 {actual} differs from the recorded {expected}")
        self.expected = expected
        self.actual = actual


class Downloads:
    """The console's private directory of downloaded attachments."""

    def __init__(self, parent: Path | None = None) -> None:
        self._parent = parent
        self._lock = threading.Lock()
        self._directory: Path | None = None

    def _dir(self) -> Path:
        with self._lock:
            if self._directory is None:
                # mkdtemp makes the directory 0700, readable by this user only.
                self._directory = Path(
                    tempfile.mkdtemp(prefix="itdeclare-review-", dir=self._parent)
                )
            return self._directory

    def save(self, attachment_id: str, content_type: str, data: bytes, sha256: str) -> Path:
        """Write ``data`` (mode 0600) after checking it is the file the server recorded."""
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256.lower():
            raise ChecksumMismatch(sha256, actual)
        safe_id = "".join(c for c in attachment_id if c.isalnum() or c in "-_")[:64] or "file"
        path = self._dir() / f"{safe_id}{EXTENSIONS.get(content_type, '.bin')}"
        temporary = path.with_suffix(path.suffix + ".part")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        temporary.replace(path)
        return path

    def remove(self) -> None:
        with self._lock:
            directory, self._directory = self._directory, None
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
