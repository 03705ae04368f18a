"""The real backend for tests that talk to it: the embedded app (the same as ``itdeclare serve
--dev``) on a free loopback port, on SQLite in a directory of the test's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Backend:
    url: str
    database_url: str


@contextmanager
def embedded_backend(data: Path) -> Iterator[Backend]:
    from itdeclare.server import embedded

    database_url = f"sqlite:///{data / 'backend.sqlite3'}"
    url, stop = embedded.start(data_dir=data, database_url=database_url)
    try:
        yield Backend(url, database_url)
    finally:
        stop()
