"""Bring a database to the newest schema with the Alembic migrations shipped in the package.

``itdeclare serve`` and every admin command run this before touching the database, in one
transaction; on PostgreSQL under an advisory lock, so two servers starting together do not
race to create the same tables.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

SCRIPT_LOCATION = "itdeclare.server:migrations"
#: An arbitrary constant naming "the itdeclare schema migration" among advisory locks.
_ADVISORY_LOCK = 0x1D_EC_1A_4E


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
        command.upgrade(alembic_config(connection), revision)
