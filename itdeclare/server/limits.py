"""A cap on request bodies, enforced while they arrive rather than after they are buffered."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from itdeclare.server.blobs import human_size
from itdeclare.server.errors import ApiError, error_response


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "request_too_large", {"max": human_size(limit)})


class BodyLimit:
    """Refuse a body longer than ``limit_for(path)`` bytes with 413.

    A declared ``Content-Length`` over the limit is refused before reading. A body that turns out
    longer (chunked, or lying) fails the read that crosses the limit; whatever the application
    then answers (a parser error, usually) is replaced by the 413.
    """

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, limit)
            return
        received = 0
        exceeded = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _too_large(limit)
            return message

        async def guarded_send(message: Message) -> None:
            if not exceeded:
                await send(message)
            elif message["type"] == "http.response.start":
                await _refuse(scope, receive, send, limit)

        await self.app(scope, counting_receive, guarded_send)


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    error = _too_large(limit)
    response = error_response(Request(scope), error.status, error.code, error.params)
    await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
