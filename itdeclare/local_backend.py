"""The embedded local backend as the terminal apps use it, wired in this one place.

With no server configured, an app runs the same backend as ``itdeclare serve --dev`` in its own
process, on a free loopback port, on SQLite under the user data directory (DESIGN.md §4.1): the
traveller app and the reviewer console started on one machine share that database, so what the
reviewer decides is what the traveller sees. The backend's modules are imported only by
:meth:`LocalBackend.start`, which blocks (migrations, imports): call it from a thread worker.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable

from itdeclare.config import Settings

#: What a local reviewer account is made with: the operator's own command (DESIGN.md §4.6).
AddReviewer = Callable[[str, str], str]


class LocalBackendError(Exception):
    """The local backend could not start, or could not make a reviewer account."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def add_reviewer_by_command(database_url: str, consulate: str) -> str:
    """``itdeclare admin add-reviewer --consulate C --database-url URL --json``: the token."""
    command = [sys.executable, "-m", "itdeclare", "admin", "add-reviewer", "--json"]
    command += ["--consulate", consulate, "--database-url", database_url]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LocalBackendError(str(exc)) from exc
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise LocalBackendError(lines[-1] if lines else f"exit status {done.returncode}")
    try:
        return str(json.loads(done.stdout)["token"])
    except (ValueError, KeyError, TypeError) as exc:
        raise LocalBackendError(f"unexpected output: {done.stdout[:200]!r}") from exc


class LocalBackend:
    """One embedded backend, started on first need and stopped with the app."""

    def __init__(
        self, settings: Settings, *, add_reviewer: AddReviewer = add_reviewer_by_command
    ) -> None:
        self._settings = settings
        self._add_reviewer = add_reviewer
        self._lock = threading.Lock()
        self._url: str | None = None
        self._stop: Callable[[], None] | None = None
        self._database_url: str | None = None

    @property
    def url(self) -> str | None:
        return self._url

    def start(self) -> str:
        """The backend's base URL, starting it if it is not running yet."""
        with self._lock:
            if self._url is None:
                try:
                    from itdeclare.server import embedded
                    from itdeclare.server.config import ServerConfig

                    database_url = ServerConfig.build(
                        database_url=self._settings.database_url
                    ).database_url
                    self._url, self._stop = embedded.start(database_url=database_url)
                except Exception as exc:  # any reason it cannot start is told, not raised raw
                    raise LocalBackendError(f"{type(exc).__name__}: {exc}") from exc
                self._database_url = database_url
            return self._url

    def add_reviewer(self, consulate: str) -> str:
        """A new reviewer token for ``consulate`` on this backend's database."""
        database_url = self._database_url
        if database_url is None:
            raise LocalBackendError("the local backend is not running")
        return self._add_reviewer(database_url, consulate)

    def stop(self) -> None:
        with self._lock:
            stop, self._stop, self._url = self._stop, None, None
        if stop is not None:
            stop()
