"""``db.DriverStatement``: a statement compiled once and run on the driver's cursor answers and
fails as ``Connection.execute`` would (PostgreSQL: the filing statement is its one user)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.exc import DBAPIError, IntegrityError

from itdeclare.server.db import Database, DriverStatement
from tests.server.conftest import postgres_base_url
from tests.server.databases import end_backend, scratch_postgres

_METADATA = MetaData()
_ITEMS = Table("items", _METADATA, Column("id", Integer, primary_key=True), Column("name", String))

#: Parameters of the kinds the filing statement binds: JSON, an aware time, an array, a
#: literal of the statement's own.
_TYPED = select(
    bindparam("document", type_=JSONB)["given"].astext,
    bindparam("at", type_=DateTime(timezone=True)),
    func.cardinality(bindparam("keys", type_=ARRAY(String))),
    literal("traveller"),
)
_PARAMETERS: dict[str, Any] = {
    "document": {"given": "小明", "tests": [1.5, None]},
    "at": datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC),
    "keys": ["passport:E1", "person:p"],
}


@pytest.fixture(scope="module")
def database() -> Iterator[Database]:
    with scratch_postgres(postgres_base_url(), "driver_test") as url:
        database = Database(url)
        _METADATA.create_all(database.engine)
        try:
            yield database
        finally:
            database.dispose()


def test_it_answers_as_execute_does(database: Database) -> None:
    driver = DriverStatement(_TYPED)

    def both(connection: Connection) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        executed = [tuple(row) for row in connection.execute(_TYPED, _PARAMETERS)]
        return driver.rows(connection, _PARAMETERS), executed

    on_driver, executed = database.lookup(both)
    assert on_driver == executed == [("小明", _PARAMETERS["at"], 2, "traveller")]
    assert database.lookup(lambda c: driver.rows(c, _PARAMETERS)) == on_driver  # compiled once


def test_a_broken_constraint_is_sqlalchemys_integrity_error(database: Database) -> None:
    insert_item = DriverStatement(insert(_ITEMS).returning(_ITEMS.c.id))
    first = database.lookup(lambda c: insert_item.rows(c, {"id": 1, "name": "one"}))
    assert first == [(1,)]
    with pytest.raises(IntegrityError) as refused:
        database.lookup(lambda c: insert_item.rows(c, {"id": 1, "name": "again"}))
    assert refused.value.orig.diag.constraint_name == "items_pkey"  # type: ignore[union-attr]
    # autocommit: the first row was committed alone and the pool's connections still work
    assert database.lookup(lambda c: c.execute(select(func.count()).select_from(_ITEMS)).scalar())


def test_a_lost_connection_is_invalidated_and_the_work_runs_again(database: Database) -> None:
    driver = DriverStatement(_TYPED)
    backends: list[int] = []

    def work(connection: Connection) -> list[tuple[Any, ...]]:
        backends.append(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
        if len(backends) == 1:
            end_backend(database, connection)
        return driver.rows(connection, _PARAMETERS)

    assert database.lookup(work)[0][0] == "小明"
    assert len(backends) == 2 and backends[0] != backends[1]


def test_a_lost_connection_is_reported_as_lost(database: Database) -> None:
    driver = DriverStatement(_TYPED)
    with database.engine.connect() as connection:
        end_backend(database, connection)
        with pytest.raises(DBAPIError) as lost:
            driver.rows(connection, _PARAMETERS)
        assert lost.value.connection_invalidated
        assert connection.invalidated


def test_after_every_connection_is_lost_the_next_statement_opens_a_new_one(
    database: Database,
) -> None:
    """As after a restart of PostgreSQL: every connection idle in the pool is gone, and the
    one statement finds that out for all of them (more than ``Database`` tries it)."""
    driver = DriverStatement(_TYPED)
    with ExitStack() as held:  # eight connections in the pool, idle once let go
        for _ in range(8):
            held.enter_context(database._lookups.connect()).execute(text("SELECT 1"))
    with database.engine.connect() as other:
        other.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        other.commit()
    assert database.lookup(lambda c: driver.rows(c, _PARAMETERS))[0][0] == "小明"
