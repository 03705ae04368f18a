"""The database: one engine per process, short transactions, the same code on SQLite and PostgreSQL.

Reads run in ordinary transactions. Writes go through ``Database.write``, which on SQLite starts
with ``BEGIN IMMEDIATE`` (the writer lock is taken up front, so two writers queue on the busy
timeout instead of failing when one upgrades a read lock) and on either database retries the
whole unit of work when the database reports a deadlock, a serialisation failure or a lock
timeout. Row locks (``SELECT … FOR UPDATE``) are what PostgreSQL uses; SQLite has one writer at a
time, which is the equivalent.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, StatementError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

from itdeclare.server import files

if TYPE_CHECKING:  # psycopg is imported by a backend on PostgreSQL only
    from psycopg import AsyncConnection

    from itdeclare.server.loop_connections import LoopConnections

log = logging.getLogger(__name__)

T = TypeVar("T")

_WRITE_OPTION = "itdeclare_write"
_SQLITE_BUSY_TIMEOUT_MS = 30_000
_RETRIES = 5
#: How long a statement waits for a pooled connection when all are busy (SQLAlchemy's default).
_CHECKOUT_TIMEOUT_S = 30.0
#: PostgreSQL's codes for "try the transaction again": serialization failure, deadlock.
_PG_RETRYABLE = frozenset({"40001", "40P01"})


#: Each PostgreSQL pool opens connections as requests need them and keeps them, up to 20: no
#: overflow connections, which a busy worker would open and close again around every burst
#: (a new server process for PostgreSQL each time). A request finding all 20 busy waits for one.
_POOL: dict[str, Any] = {"pool_size": 20, "max_overflow": 0}


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str) -> Engine:
    if is_sqlite(url):
        return _sqlite_engine(url)
    # No pre-ping (a round trip per checkout): a connection found dead fails its statement,
    # is dropped from the pool, and ``Database`` runs the work again on a fresh one.
    return create_engine(url, **_POOL, skip_autocommit_rollback=True)


def _lookup_engine(url: str) -> Engine:
    """PostgreSQL connections that stay in autocommit, for statements that commit on their own:
    every request's token check, and most submissions (each holds its connection while it waits
    for its consulate's queue), so as many as for transactions."""
    return create_engine(
        url,
        **_POOL,
        isolation_level="AUTOCOMMIT",
        skip_autocommit_rollback=True,
    )


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ValueError("the backend needs a SQLite file, not an in-memory database")
    # Made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the same mode.
    files.private_sqlite(Path(database))
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN instead of the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        immediate = options.get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _retryable(error: DBAPIError) -> bool:
    if error.connection_invalidated:
        return True
    code = getattr(error.orig, "sqlstate", None)
    if code in _PG_RETRYABLE:
        return True
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


def dialect_insert(session: Session) -> type[postgresql.Insert] | type[sqlite.Insert]:
    """The INSERT construct with ``on_conflict_do_*`` of the session's database."""
    return sqlite.Insert if session.get_bind().dialect.name == "sqlite" else postgresql.Insert


def _retrying(once: Callable[[], T]) -> T:
    for attempt in range(1, _RETRIES + 1):
        try:
            return once()
        except DBAPIError as error:
            if not _runs_again(error, attempt):
                raise
            time.sleep(_pause(attempt))
    raise AssertionError("unreachable")


def _runs_again(error: DBAPIError, attempt: int) -> bool:
    """Whether the work that failed with ``error`` on its ``attempt``-th run is run again."""
    if attempt == _RETRIES or not _retryable(error):
        return False
    log.info("transient database failure (attempt %d), retrying: %s", attempt, error.orig)
    return True


def _pause(attempt: int) -> float:
    return 0.01 * attempt


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement's SQL for one dialect, and what turns its parameters into the driver's."""

    sql: SQLCompiler
    processors: Mapping[str, Callable[[Any], Any]]

    @classmethod
    def of(cls, statement: ClauseElement, dialect: Dialect) -> _Compiled:
        sql = statement.compile(dialect=dialect)
        assert isinstance(sql, SQLCompiler) and sql.positiontup is None  # named parameters
        processors = {
            name: process
            for bind, name in sql.bind_names.items()
            if (process := bind.type.dialect_impl(dialect).bind_processor(dialect))
        }
        return cls(sql, processors)

    def bound(self, parameters: Mapping[str, Any]) -> MutableMapping[str, Any]:
        bound = self.sql.construct_params(parameters)
        for name, process in self.processors.items():
            bound[name] = process(bound[name])
        return bound


class DriverStatement:
    """``statement`` compiled once and run by ``Database.run`` on a connection of the event
    loop's own (psycopg's asyncio connection): for the statements every submission runs. The
    request awaits the database without a thread: handing the work to the thread pool cost a
    submission as much CPU again, in the hops and in the threads' contention for the GIL
    (``bench/server.py``). Nor does ``Connection.execute`` build the statement's cache key,
    an execution context and a result on every call. Errors are raised as ``execute`` raises
    them (``IntegrityError``, …), without their parameters (personal data); SQLAlchemy's
    events and its echo log do not see the statement."""

    def __init__(self, statement: ClauseElement) -> None:
        self._statement = statement
        self._compiled: _Compiled | None = None

    async def rows(
        self, connection: AsyncConnection[Any], dialect: Dialect, parameters: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        """The rows the statement answers (plain tuples: no result processing), none for a
        statement that answers no rows."""
        compiled = self._compile(dialect)
        bound = compiled.bound(parameters)
        try:
            async with connection.cursor() as cursor:
                await cursor.execute(compiled.sql.string, bound)
                if cursor.description is None:
                    return []
                return [tuple(row) for row in await cursor.fetchall()]
        except dialect.loaded_dbapi.Error as error:
            raise _wrapped(dialect, connection, compiled.sql.string, error) from error

    def prepare(self, dialect: Dialect) -> None:
        """Compile now rather than on the first run, which would hold up the event loop."""
        self._compile(dialect)

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled
        if compiled is None or compiled.sql.dialect is not dialect:
            compiled = self._compiled = _Compiled.of(self._statement, dialect)
        return compiled


def _wrapped(
    dialect: Dialect, connection: AsyncConnection[Any], sql: str, error: Any
) -> StatementError:
    """``error`` as SQLAlchemy's (``IntegrityError``, ``OperationalError``, …), marked as a lost
    connection when it is one, as SQLAlchemy's psycopg dialect tells (a broken connection is
    closed when it comes back: ``LoopConnections``)."""
    return DBAPIError.instance(
        sql,
        None,
        error,
        dialect.loaded_dbapi.Error,
        hide_parameters=True,
        connection_invalidated=connection.closed or connection.broken,
        dialect=dialect,
    )


def _loop_connections(engine: Engine) -> LoopConnections:
    """Connections for ``Database.run``, made as SQLAlchemy makes the engine's: the URL's
    parameters, and the dialect's adapters (``context``)."""
    from psycopg.conninfo import make_conninfo

    from itdeclare.server.loop_connections import LoopConnections

    arguments, options = engine.dialect.create_connect_args(engine.url)
    return LoopConnections(
        {"conninfo": make_conninfo(*arguments), **options},
        size=_POOL["pool_size"],
        timeout=_CHECKOUT_TIMEOUT_S,
    )


class Database:
    """An engine and the two kinds of session the services use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sqlite = is_sqlite(url)
        # Single statements run outside a transaction. On PostgreSQL they get a pool of their
        # own, opened in autocommit once, rather than switching a pooled connection to
        # autocommit and back on every checkout (a cost paid by every request's token check).
        self._lookups = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT")
            if self.sqlite
            else _lookup_engine(url)
        )
        self._reads = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )
        # SQLite has one writer at a time. Threads of this process queue here, in order, rather
        # than in SQLite's busy handler, which sleeps in growing steps and makes long tails;
        # other processes still meet SQLite's own lock.
        self._writer: AbstractContextManager[object] = (
            threading.Lock() if self.sqlite else nullcontext()
        )
        self._loop_connections = None if self.sqlite else _loop_connections(self.engine)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction: several statements see one consistent state."""
        with self._reads() as session, session.begin():
            yield session

    def lookup(self, work: Callable[[Connection], T]) -> T:
        """For statements that each commit on their own: a single read, or on PostgreSQL a write
        one statement does whole. No transaction around them, so no extra round trips; a plain
        connection, not a session, for what every request runs."""

        def once() -> T:
            with self._lookups.connect() as connection:
                return work(connection)

        return _retrying(once)

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction and commit it; retry it whole on a transient conflict.

        ``work`` must be safe to run again: it may only touch the database (or do idempotent
        things such as writing a content-addressed file).
        """

        def once() -> T:
            with self._writer, self._writes() as session, session.begin():
                return work(session)

        return _retrying(once)

    async def run(
        self, statement: DriverStatement, parameters: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        """One statement that commits on its own, awaited on the event loop (PostgreSQL; see
        ``DriverStatement``), run again like ``lookup``'s work after a transient failure or a
        lost connection: it must be safe to run again."""
        connections = self._loop_connections
        assert connections is not None, "DriverStatement runs on PostgreSQL"
        for attempt in range(1, _RETRIES + 1):
            try:
                async with connections.connection() as connection:
                    return await statement.rows(connection, self.engine.dialect, parameters)
            except DBAPIError as error:
                if not _runs_again(error, attempt):
                    raise
                if error.connection_invalidated:
                    # as ``execute`` does on a disconnect: the idle connections were opened
                    # before it and are likely gone too (a restarted server)
                    await connections.discard_idle()
                await asyncio.sleep(_pause(attempt))
        raise AssertionError("unreachable")

    def prepare(self, statements: Iterable[DriverStatement]) -> None:
        """Compile ``statements`` for this database, before ``run`` needs them (PostgreSQL)."""
        if not self.sqlite:
            for statement in statements:
                statement.prepare(self.engine.dialect)

    async def aclose(self) -> None:
        """Close the connections ``run`` keeps idle, in the event loop that used them (at the
        application's end: none is in use then)."""
        if self._loop_connections is not None:
            await self._loop_connections.discard_idle()

    def dispose(self) -> None:
        self._lookups.dispose()
        self.engine.dispose()
