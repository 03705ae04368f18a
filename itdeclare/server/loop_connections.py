"""PostgreSQL connections that statements awaited on the event loop run on (``db.Database.run``).

A connection is opened when a statement needs one and none is idle, as SQLAlchemy's pool does
for the rest of the backend, and kept for the next; at most ``size`` are open. So a refused
connection fails that statement at once (503, and the client tries again), one that gets no
answer within ``CONNECT_TIMEOUT_S`` fails then, and the first statement after PostgreSQL is
back connects. psycopg's own pool (``psycopg_pool``) connects in the
background instead: while PostgreSQL was down a statement waited its whole timeout (30 s) before
its 503, and for about 40 s after PostgreSQL was back the pool's backed-off attempts had not yet
found it. SQLAlchemy's asyncio engine connects as this does, but takes a greenlet's round trip
per checkout: 55 against 9 µs a statement here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg.pq import TransactionStatus
from sqlalchemy.exc import OperationalError

#: How long opening a connection may take, unless the database URL says (``connect_timeout``):
#: psycopg's own default, 130 s, would hold a statement's place as long when PostgreSQL's host
#: does not answer.
CONNECT_TIMEOUT_S = 10


class LoopConnections:
    """Up to ``size`` connections in autocommit, of the event loop that uses them: a first use
    in another loop (a test's, after ``discard_idle``) starts afresh there."""

    def __init__(self, options: Mapping[str, Any], size: int, timeout: float) -> None:
        """``options``: psycopg's connection parameters and options (``context``…); a statement
        waits at most ``timeout`` seconds for a connection when ``size`` are in use."""
        self._options = {"connect_timeout": CONNECT_TIMEOUT_S, **options, "autocommit": True}
        self._size = size
        self._timeout = timeout
        self._idle: list[AsyncConnection[Any]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots = asyncio.Semaphore(size)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection[Any]]:
        """An idle connection, or a new one; ``OperationalError`` when none can be opened, or
        none comes free within the timeout."""
        await self._in_this_loop()
        await self._take_slot()
        try:
            connection = self._idle.pop() if self._idle else await self._connect()
            try:
                yield connection
            finally:
                await self._put_back(connection)
        finally:
            self._slots.release()

    async def discard_idle(self) -> None:
        """Close the idle connections: after one was found lost, as after a restart of
        PostgreSQL, they were opened before it and are likely gone too (SQLAlchemy's pool
        does the same); and when the application ends."""
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()

    async def _in_this_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            await self.discard_idle()
            self._loop, self._slots = loop, asyncio.Semaphore(self._size)

    async def _take_slot(self) -> None:
        if not self._slots.locked():  # the usual case: no wait, and no timer to set
            await self._slots.acquire()
            return
        try:
            async with asyncio.timeout(self._timeout):
                await self._slots.acquire()
        except TimeoutError as error:
            raise OperationalError(None, None, error) from error

    async def _connect(self) -> AsyncConnection[Any]:
        try:
            return await AsyncConnection.connect(**self._options)
        except psycopg.Error as error:
            raise OperationalError(None, None, error) from error

    async def _put_back(self, connection: AsyncConnection[Any]) -> None:
        """Kept when it is ready for the next statement (so is one whose statement was
        cancelled: psycopg stops it on the server first); closed when it broke, or is still
        busy."""
        if connection.closed or connection.info.transaction_status != TransactionStatus.IDLE:
            await connection.close()
        else:
            self._idle.append(connection)
