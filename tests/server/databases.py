"""Throw-away PostgreSQL databases for the tests and the benchmark."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from psycopg import AsyncConnection
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from itdeclare.server.db import Database


@contextmanager
def scratch_postgres(server_url: str, prefix: str) -> Iterator[str]:
    """A new database ``<prefix>_<random>`` on the server of ``server_url``, dropped after."""
    base = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def end_backend(database: Database, connection: Connection | AsyncConnection[Any]) -> None:
    """What a network does to ``connection`` (SQLAlchemy's, or psycopg's own of
    ``Database.run``): its PostgreSQL backend ends (ended from another connection of
    ``database``), and its next use fails."""
    if isinstance(connection, Connection):
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    else:
        backend = connection.info.backend_pid
    with database.engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        other.commit()


def end_every_backend(database: Database) -> None:
    """As a restart of PostgreSQL does: every connection to ``database``'s database but the
    one that ends them is gone (pooled ones find out when next used)."""
    with database.engine.connect() as other:
        other.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        other.commit()
