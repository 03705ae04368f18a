"""``LoopConnections``, the connections ``Database.run`` awaits statements on: a statement
fails at once while PostgreSQL refuses connections, and after the connect timeout when its host
does not answer, and works as soon as it can; it waits for a connection only when all are in
use, and a cancelled statement's connection serves the next."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from itdeclare.server import loop_connections
from itdeclare.server.db import Database, DriverStatement
from itdeclare.server.loop_connections import LoopConnections
from tests.server.conftest import postgres_base_url
from tests.server.databases import scratch_postgres

_BACKEND = DriverStatement(select(func.pg_backend_pid()))


@pytest.fixture
def database() -> Iterator[Database]:
    with scratch_postgres(postgres_base_url(), "loop_test") as url:
        database = Database(url)
        try:
            yield database
        finally:
            database.dispose()


def _connections(database: Database, size: int, timeout: float) -> LoopConnections:
    arguments, options = database.engine.dialect.create_connect_args(database.engine.url)
    assert not arguments
    return LoopConnections(options, size=size, timeout=timeout)


def _in_a_loop(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(scenario())  # type: ignore[arg-type]


@contextmanager
def _postgresql_away(database: Database) -> Iterator[None]:
    """As PostgreSQL going away (its connections ended, new ones refused) and coming back, for
    this database alone: done from the server's base database."""
    name = database.engine.url.database
    admin = create_engine(postgres_base_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


def test_while_postgresql_is_away_a_statement_fails_at_once_and_works_once_it_is_back(
    database: Database,
) -> None:
    async def scenario() -> None:
        [(first,)] = await database.run(_BACKEND, {})
        with _postgresql_away(database), pytest.raises(OperationalError) as away:
            await database.run(_BACKEND, {})
        # refused when connecting, not after waiting out the 30 s for a connection
        assert isinstance(away.value.orig, psycopg.OperationalError)
        [(again,)] = await database.run(_BACKEND, {})  # the first statement after connects
        assert again != first
        await database.aclose()

    _in_a_loop(scenario)


def test_with_every_connection_in_use_a_statement_waits_then_fails(database: Database) -> None:
    connections = _connections(database, size=1, timeout=0.2)

    async def scenario() -> None:
        async with connections.connection():
            with pytest.raises(OperationalError) as waited:
                async with connections.connection():
                    pass
            assert isinstance(waited.value.orig, TimeoutError)
        async with connections.connection() as free:  # once let go, the one connection serves
            assert not free.closed
        await connections.discard_idle()

    _in_a_loop(scenario)


def test_a_connection_is_kept_for_the_next_statement(database: Database) -> None:
    connections = _connections(database, size=2, timeout=1)

    async def scenario() -> None:
        async with connections.connection() as first:
            pass
        async with connections.connection() as second:
            assert second is first
        await connections.discard_idle()
        assert first.closed

    _in_a_loop(scenario)


def test_a_cancelled_statement_is_stopped_and_its_connection_serves_the_next(
    database: Database,
) -> None:
    """psycopg cancels the statement on the server when its task is cancelled: the connection
    is idle again, and kept."""
    connections = _connections(database, size=1, timeout=1)
    started = asyncio.Event()

    async def long_statement() -> None:
        async with connections.connection() as connection:
            started.set()
            await connection.execute("SELECT pg_sleep(30)")

    async def scenario() -> None:
        task = asyncio.create_task(long_statement())
        await started.wait()
        await asyncio.sleep(0.2)  # the statement is running
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        async with connections.connection() as next_one:
            cursor = await next_one.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"
            )
            assert await cursor.fetchone() == (0,)
        await connections.discard_idle()

    _in_a_loop(scenario)


def test_a_second_event_loop_starts_afresh(database: Database) -> None:
    """A loop's connections are not used from another (a test's loop after the server's)."""
    pids: list[int] = []

    async def scenario() -> None:
        [(pid,)] = await database.run(_BACKEND, {})
        pids.append(pid)

    _in_a_loop(scenario)
    _in_a_loop(scenario)
    assert len(pids) == 2 and pids[0] != pids[1]
    asyncio.run(database.aclose())


def test_a_host_that_does_not_answer_fails_the_statement_after_the_connect_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server that takes the connection and never answers (as a host gone from the network
    behind a proxy): the statement fails when the connect timeout is up, not psycopg's 130 s."""
    monkeypatch.setattr(loop_connections, "CONNECT_TIMEOUT_S", 2)  # libpq's least
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts nothing, answers nothing
        port = silent.getsockname()[1]
        connections = LoopConnections(
            {"host": "127.0.0.1", "port": port, "user": "nobody", "dbname": "none"},
            size=1,
            timeout=1,
        )

        async def scenario() -> None:
            with pytest.raises(OperationalError) as unanswered:
                async with connections.connection():
                    pass
            assert isinstance(unanswered.value.orig, psycopg.OperationalError)

        _in_a_loop(scenario)
