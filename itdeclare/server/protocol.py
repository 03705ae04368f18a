"""Bounds on what one connection may hold of the server, below the application.

uvicorn's own protocol (httptools) buffers a header of any size, waits for ever for a request
that is sent a byte at a time, and starts no timer on a connection that sends nothing. This is
that protocol with limits, each a setting (``BackendSettings``):

- the head of a request (request line and headers) is cut off at ``max_header_bytes``: counted
  as the bytes arrive, before the parser buffers them, so a 200 MB header costs the server no
  more than the limit (431, connection closed);
- at most ``max_headers`` headers (431) and a request line of ``max_request_line_bytes`` (414);
- the head must arrive within ``header_timeout_seconds`` of the first byte (or of the
  connection), and the whole request, body included, within ``request_timeout_seconds`` (408,
  connection closed): a slow client is dropped, whatever it sends;
- idle keep-alive connections close after ``keep_alive_seconds`` (uvicorn's own timer);
- a connection past ``max_connections`` of this process is answered 503 and closed at once;
- a request the parser cannot read (a control character in a header, a negative
  ``Content-Length``, both a length and chunks…) is answered 400 ``bad_request`` and closed,
  where uvicorn would answer in plain text.

Refusals carry the API's error shape (DESIGN.md §4.4), in English (the request's
``Accept-Language`` may be what was cut off), and the headers of every answer (``headers``).
"""

from __future__ import annotations

import asyncio
import functools
import json
from dataclasses import dataclass
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from itdeclare.config import BackendSettings
from itdeclare.server.errors import error_body
from itdeclare.server.headers import PRIVATE_HEADERS

_REASONS = {
    400: "Bad Request",
    408: "Request Timeout",
    414: "URI Too Long",
    431: "Request Header Fields Too Large",
    503: "Service Unavailable",
}


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    max_header_bytes: int
    max_headers: int
    max_request_line_bytes: int
    header_timeout: float
    request_timeout: float
    max_connections: int

    @classmethod
    def of(cls, settings: BackendSettings) -> ConnectionLimits:
        return cls(
            max_header_bytes=settings.max_header_bytes,
            max_headers=settings.max_headers,
            max_request_line_bytes=settings.max_request_line_bytes,
            header_timeout=settings.header_timeout_seconds,
            request_timeout=settings.request_timeout_seconds,
            max_connections=settings.max_connections,
        )


def refusal(status: int, code: str, params: dict[str, Any] | None = None) -> bytes:
    """A whole HTTP/1.1 response that closes the connection."""
    body = json.dumps(error_body(code, "en", params)).encode()
    head = "".join(
        [
            f"HTTP/1.1 {status} {_REASONS[status]}\r\n",
            "content-type: application/json\r\n",
            f"content-length: {len(body)}\r\n",
            *(f"{name}: {value}\r\n" for name, value in PRIVATE_HEADERS.items()),
            "connection: close\r\n\r\n",
        ]
    )
    return head.encode("ascii") + body


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, bounded (see the module's description)."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        limits: ConnectionLimits,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits = limits
        self._in_head = True
        self._head_bytes = 0
        self._url_bytes = 0
        self._header_count = 0
        self._deadline: asyncio.TimerHandle | None = None
        self._started = 0.0
        self._refused = False

    # --- the connection -------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            self._refuse(503, "too_many_connections")
            return
        # Until its first byte a new connection is on the head's clock: a connection that
        # sends nothing is dropped like one that sends too slowly.
        self._started = self.loop.time()
        self._set_deadline(self.limits.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if not self._in_head:
            super().data_received(data)
            return
        room = self.limits.max_header_bytes - self._head_bytes
        self._head_bytes += min(len(data), room)
        super().data_received(data[:room])
        if self._refused:
            return
        if self._in_head and len(data) >= room:
            self._refuse(431, "headers_too_large", {"max": self.limits.max_header_bytes})
        elif len(data) > room:
            super().data_received(data[room:])  # the head ended within the limit: the body

    # --- parser callbacks -----------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._url_bytes = self._header_count = 0
        if self._deadline is None:  # else the clock started with the connection
            self._started = self.loop.time()
            self._set_deadline(self.limits.header_timeout)

    def on_url(self, url: bytes) -> None:
        if self._refused:
            return
        self._url_bytes += len(url)
        if self._url_bytes > self.limits.max_request_line_bytes:
            self._refuse(414, "url_too_long", {"max": self.limits.max_request_line_bytes})
            return
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._refused:
            return
        self._header_count += 1
        if self._header_count > self.limits.max_headers:
            self._refuse(431, "too_many_headers", {"max": self.limits.max_headers})
            return
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._in_head = False
        elapsed = self.loop.time() - self._started
        self._set_deadline(self.limits.request_timeout - elapsed)
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._refused:
            return
        self._cancel_deadline()
        self._in_head, self._head_bytes = True, 0
        super().on_message_complete()

    # --- refusals -------------------------------------------------------------------------

    def _set_deadline(self, seconds: float) -> None:
        self._cancel_deadline()
        self._deadline = self.loop.call_later(max(seconds, 0.0), self._too_slow)

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and self.cycle.response_started:
            self.transport.close()  # the application has answered already: just hang up
            return
        self._refuse(408, "request_timeout")

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to what its parser refused (``msg`` is its plain-text one)."""
        self._refuse(400, "bad_request")

    def _refuse(self, status: int, code: str, params: dict[str, Any] | None = None) -> None:
        self._refused = True
        self._cancel_deadline()
        self.logger.info("refused a connection from %s: %s", self.client, code)
        if not self.transport.is_closing():
            self.transport.write(refusal(status, code, params))
            self.transport.close()


def protocol_for(settings: BackendSettings) -> Any:
    """What to give uvicorn as ``http``: a picklable factory (``serve --workers`` sends the
    configuration to each worker process)."""
    return functools.partial(GuardedProtocol, limits=ConnectionLimits.of(settings))


def uvicorn_options(settings: BackendSettings) -> dict[str, Any]:
    """The uvicorn settings every way of running the backend shares. The API has no WebSocket
    route: ``ws="none"`` keeps uvicorn from loading the ``websockets`` package for one."""
    return {
        "http": protocol_for(settings),
        "ws": "none",
        "timeout_keep_alive": settings.keep_alive_seconds,
    }
