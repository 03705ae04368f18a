"""``db.DriverStatement`` run by ``Database.run``: a statement compiled once and awaited on
psycopg's asyncio connection answers and fails as ``Connection.execute`` would, and a lost
connection is replaced (PostgreSQL: the filing statements are its users)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from psycopg import AsyncConnection
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.exc import DBAPIError, IntegrityError

from itdeclare.server.db import Database, DriverStatement
from tests.server.conftest import postgres_base_url
from tests.server.databases import end_backend, end_every_backend, scratch_postgres

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
_BACKEND = DriverStatement(select(func.pg_backend_pid()))


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with scratch_postgres(postgres_base_url(), "driver_test") as url:
        database = Database(url)
        _METADATA.create_all(database.engine)
        database.dispose()
        yield url


def _in_a_loop(url: str, scenario: Callable[[Database], Awaitable[None]]) -> None:
    """``scenario`` in an event loop of its own, as the server runs it, then the connections
    closed."""
    database = Database(url)

    async def run() -> None:
        try:
            await scenario(database)
        finally:
            await database.aclose()

    try:
        asyncio.run(run())
    finally:
        database.dispose()


def test_it_answers_as_execute_does(url: str) -> None:
    driver = DriverStatement(_TYPED)

    async def scenario(database: Database) -> None:
        on_driver = await database.run(driver, _PARAMETERS)
        executed = database.lookup(lambda c: [tuple(r) for r in c.execute(_TYPED, _PARAMETERS)])
        assert on_driver == executed == [("小明", _PARAMETERS["at"], 2, "traveller")]
        assert await database.run(driver, _PARAMETERS) == on_driver  # compiled once

    _in_a_loop(url, scenario)


def test_a_statement_without_rows_answers_none(url: str) -> None:
    remove = DriverStatement(delete(_ITEMS).where(_ITEMS.c.id == bindparam("id")))

    async def scenario(database: Database) -> None:
        assert await database.run(remove, {"id": -1}) == []

    _in_a_loop(url, scenario)


def test_a_broken_constraint_is_sqlalchemys_integrity_error(url: str) -> None:
    insert_item = DriverStatement(insert(_ITEMS).returning(_ITEMS.c.id))
    count = DriverStatement(select(func.count()).select_from(_ITEMS))

    async def scenario(database: Database) -> None:
        assert await database.run(insert_item, {"id": 1, "name": "one"}) == [(1,)]
        with pytest.raises(IntegrityError) as refused:
            await database.run(insert_item, {"id": 1, "name": "小明 again"})
        assert refused.value.orig.diag.constraint_name == "items_pkey"  # type: ignore[union-attr]
        assert "小明" not in str(refused.value)  # parameters are personal data: not in logs
        # autocommit: the first row was committed alone and the connections still work
        assert await database.run(count, {}) == [(1,)]

    _in_a_loop(url, scenario)


def test_a_lost_connection_is_replaced_and_the_statement_runs_again(url: str) -> None:
    async def scenario(database: Database) -> None:
        [(first,)] = await database.run(_BACKEND, {})  # the pool's one connection
        with database.engine.connect() as other:
            other.exec_driver_sql(f"SELECT pg_terminate_backend({int(first)})")
        [(second,)] = await database.run(_BACKEND, {})
        assert second != first

    _in_a_loop(url, scenario)


def test_a_lost_connection_is_reported_as_lost(url: str) -> None:
    driver = DriverStatement(_TYPED)

    async def scenario(database: Database) -> None:
        connection = await AsyncConnection.connect(
            database.engine.url.set(drivername="postgresql").render_as_string(False)
        )
        async with connection:
            end_backend(database, connection)
            with pytest.raises(DBAPIError) as lost:
                await driver.rows(connection, database.engine.dialect, _PARAMETERS)
            assert lost.value.connection_invalidated
            assert connection.broken

    _in_a_loop(url, scenario)


def test_after_every_connection_is_lost_the_next_statement_opens_a_new_one(url: str) -> None:
    """As after a restart of PostgreSQL: every connection idle in the pool is gone (more than
    ``Database`` tries a statement), and the first statement to find out checks them all."""
    held = DriverStatement(select(func.pg_sleep(0.2)))
    driver = DriverStatement(_TYPED)

    async def scenario(database: Database) -> None:
        await asyncio.gather(*(database.run(held, {}) for _ in range(8)))  # eight, then idle
        end_every_backend(database)
        assert (await database.run(driver, _PARAMETERS))[0][0] == "小明"

    _in_a_loop(url, scenario)
