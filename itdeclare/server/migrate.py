"""Bring a database to the newest schema with the Alembic migrations shipped in the package.

``itdeclare serve`` and every admin command run this before touching the database, in one
transaction; on PostgreSQL under an advisory lock, so two servers starting together do not
race to create the same tables.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = "itdeclare.server:migrations"
#: An arbitrary constant naming "the itdeclare schema migration" among advisory locks.
_ADVISORY_LOCK = 0x1D_EC_1A_4E
_REVISION = re.compile(r'^(revision|down_revision) = (?:"([^"]+)"|None)$', re.MULTILINE)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def shipped_heads() -> set[str]:
    """The newest revisions among the migrations shipped (read from their files, as Alembic
    does, without loading Alembic)."""
    revisions: set[str] = set()
    replaced: set[str] = set()
    versions = resources.files("itdeclare.server").joinpath("migrations", "versions")
    for script in versions.iterdir():
        if not script.name.endswith(".py"):
            continue
        for name, value in _REVISION.findall(script.read_text("utf-8")):
            if value:
                (revisions if name == "revision" else replaced).add(value)
    return revisions - replaced


def at_head(engine: Engine) -> bool:
    """Whether the database is already at the newest schema: then a start needs no Alembic,
    which is most of what loading the backend costs beyond serving (time, and memory in the
    terminal app's local mode)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        return set(current) == shipped_heads()


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and at_head(engine):
        return
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
        command.upgrade(alembic_config(connection), revision)
