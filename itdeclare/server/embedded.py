"""The embedded local backend: the same application as ``itdeclare serve``, on loopback.

The TUI calls ``start`` when no server is configured (import this module only then, so the
TUI's start-up never loads FastAPI or SQLAlchemy). It runs in development mode, always: the
one-time code comes back in the response as ``dev_code`` for the TUI to show as local mode, and
the fictional sample health records are loaded for trying the outbound certificate.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from itdeclare.server.app import create_app
from itdeclare.server.config import ServerConfig
from itdeclare.server.runtime import prepare, serve_in_thread


def start(
    *, data_dir: Path | None = None, database_url: str | None = None
) -> tuple[str, Callable[[], None]]:
    """Start the backend on a free loopback port: ``(base_url, stop)``.

    SQLite in ``data_dir`` (default: the user data dir) unless ``database_url`` says otherwise.
    ``stop()`` shuts it down and waits for requests in flight.
    """
    config = ServerConfig.build(database_url=database_url, data_dir=data_dir, dev=True)
    prepare(config).dispose()
    return serve_in_thread(create_app(config), settings=config.backend)
