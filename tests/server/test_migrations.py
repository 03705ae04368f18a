"""The Alembic migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

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
