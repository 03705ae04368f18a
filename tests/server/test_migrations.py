"""The Alembic migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from itdeclare.server import migrate
from itdeclare.server.db import Database
from itdeclare.server.tables import Base
from tests.server.conftest import DATABASES, fresh_database


@pytest.mark.parametrize("kind", DATABASES)
def test_migrations_match_the_models(kind: str, tmp_path: Path) -> None:
    with fresh_database(kind, tmp_path) as url:
        database = Database(url)
        try:
            migrate.upgrade(database.engine)
            migrate.upgrade(database.engine)  # a second run finds nothing to do
            with database.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                assert compare_metadata(context, Base.metadata) == []
                tables = set(inspect(connection).get_table_names())
            assert set(Base.metadata.tables) | {"alembic_version"} == tables
        finally:
            database.dispose()


def test_the_heads_read_from_the_files_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.shipped_heads() == set(script.get_heads())


def test_a_database_at_the_newest_schema_is_opened_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    database = Database(url)
    try:
        assert not migrate.at_head(database.engine)
        migrate.upgrade(database.engine)
        assert migrate.at_head(database.engine)
    finally:
        database.dispose()
    check = (
        "import sys; from itdeclare.server import migrate; from itdeclare.server.db import "
        f"Database; migrate.upgrade(Database({url!r}).engine); print('alembic' in sys.modules)"
    )
    command = [sys.executable, "-c", check]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip() == "False", done.stderr
