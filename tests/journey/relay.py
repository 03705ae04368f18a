"""A loopback TCP relay in front of the real backend, to fail the network the way it fails.

``down()`` closes the listening socket: new connections are refused, as with a backend that is
not running. ``lose_answers()`` passes every request on but drops the backend's answer and
closes the connection, as a network that fails after the backend has acted. ``up()`` restores
normal service on the same port.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from urllib.parse import urlsplit

LOOPBACK = "127.0.0.1"
_METHODS = {b"GET", b"POST", b"PUT", b"PATCH", b"DELETE", b"HEAD", b"OPTIONS"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


class Relay:
    def __init__(self, backend_url: str) -> None:
        target = urlsplit(backend_url)
        assert target.hostname == LOOPBACK and target.port is not None
        self._target = (target.hostname, target.port)
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self._server: asyncio.Server | None = None
        self._losing: bytes | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.lost = 0

    async def up(self) -> None:
        self._losing = None
        if self._server is None:
            self._server = await asyncio.start_server(self._serve, LOOPBACK, self.port)

    async def down(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()
        for task in list(self._tasks):
            task.cancel()

    async def lose_answers(self, to: bytes) -> None:
        """Pass requests on, but lose the answers to those whose request line starts with
        ``to`` (``b"POST /api/v1/declarations "``)."""
        await self.up()
        self._losing = to

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            backend_reader, backend_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.close()
            self._tasks.discard(task)
            return
        asked: list[bytes] = [b""]
        try:
            await asyncio.gather(
                self._requests(reader, backend_writer, asked),
                self._answers(backend_reader, writer, asked),
            )
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            for end in (writer, backend_writer):
                end.close()
            self._tasks.discard(task)

    async def _requests(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, asked: list[bytes]
    ) -> None:
        """Pass the client's bytes on, noting the request line of each request."""
        while data := await reader.read(65536):
            if data[:8].split(b" ", 1)[0] in _METHODS:
                asked[0] = data.split(b"\r\n", 1)[0]
            writer.write(data)
            await writer.drain()
        with contextlib.suppress(OSError):
            writer.write_eof()

    async def _answers(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, asked: list[bytes]
    ) -> None:
        while data := await reader.read(65536):
            if self._losing is not None and asked[0].startswith(self._losing):
                self.lost += 1
                writer.transport.abort()
                return
            writer.write(data)
            await writer.drain()
        with contextlib.suppress(OSError):
            writer.write_eof()
