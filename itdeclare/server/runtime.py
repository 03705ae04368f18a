"""Getting a backend ready and running it: migrations, sample data, uvicorn on a socket.

``itdeclare serve``, the admin commands, the embedded local backend and the tests all start here,
so they meet the same database schema and the same application.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from itdeclare.config import BackendSettings
from itdeclare.models import HealthRecord
from itdeclare.server import files, migrate
from itdeclare.server.config import ServerConfig
from itdeclare.server.db import Database, is_sqlite
from itdeclare.server.protocol import uvicorn_options
from itdeclare.server.services import health_records, issuing
from itdeclare.server.services.issuing import DEV_PASSPHRASE_FILE
from itdeclare.server.tables import utcnow

LOOPBACK = "127.0.0.1"
_START_TIMEOUT_SECONDS = 30.0


def owned_paths(config: ServerConfig) -> list[Path]:
    """Every file and directory of the backend's own, as it may have been left by any version."""
    paths = [config.attachments_dir, config.keys_dir, config.data_dir / DEV_PASSPHRASE_FILE]
    database = make_url(config.database_url).database
    if is_sqlite(config.database_url) and database:
        paths += [Path(database + suffix) for suffix in ("", *files.SQLITE_COMPANIONS)]
    return paths


def prepare(config: ServerConfig) -> Database:
    """Make the backend's files private (whatever made them before), migrate the database to
    the newest schema; in development mode add the sample records."""
    files.tighten_backend(config.data_dir, owned_paths(config))
    database = Database(config.database_url)
    migrate.upgrade(database.engine)
    if config.dev:
        load_sample_records(database)
        issuing.ensure_dev_keys(config)
    return database


def sample_records() -> list[HealthRecord]:
    """The fictional records shipped for trying the outbound flow (clearly labelled as such)."""
    text = resources.files("itdeclare.server").joinpath("data", "sample_health_records.json")
    data = json.loads(text.read_text("utf-8"))
    return [HealthRecord.model_validate(item) for item in data["records"]]


def load_sample_records(database: Database) -> None:
    records = sample_records()
    database.write(lambda session: health_records.store(session, records, utcnow(), sample=True))


def bind(host: str = LOOPBACK, port: int = 0) -> socket.socket:
    """A listening socket; port 0 picks a free one.

    Made as TCP by name (``IPPROTO_TCP``, not the default 0): asyncio turns Nagle's algorithm
    off (``TCP_NODELAY``) only on the connections of such a socket. With it on, each answer,
    written as a head and then a body, waited for the client's delayed acknowledgement: 40 ms
    added to every request to the embedded backend."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def serve_in_thread(
    app: FastAPI, host: str = LOOPBACK, settings: BackendSettings | None = None
) -> tuple[str, Callable[[], None]]:
    """Run ``app`` under uvicorn in a background thread: ``(base_url, stop)``, with the
    connection limits of ``settings`` (the defaults when not given). The thread's loop is
    asyncio's own: uvloop (``serve``'s, for throughput) would add its library to the process
    of a terminal app that embeds the backend, for the few requests of one person."""
    sock = bind(host)
    port = sock.getsockname()[1]
    options = uvicorn_options(settings or BackendSettings())
    config = uvicorn.Config(app, log_level="warning", access_log=False, loop="asyncio", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="itdeclare-backend", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the backend did not start")
        time.sleep(0.01)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=_START_TIMEOUT_SECONDS)
        sock.close()

    return f"http://{host}:{port}", stop
