"""Headers every answer carries, so that no browser ever reads the API as a page.

- ``X-Content-Type-Options: nosniff`` and a content policy that allows nothing: an attachment
  that is also valid HTML (a polyglot) is never rendered or run, whatever a browser guesses.
- ``Cache-Control: no-store`` on everything but the public documents: tokens, codes and
  personal data must not stay in a shared or a browser cache.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: What anyone may read and cache: they hold no personal data.
PUBLIC_PATHS = frozenset(
    {"/api/v1/trust-list", "/api/v1/revocations", "/api/v1/rules", "/healthz", "/openapi.json"}
)
_ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = scope["path"] not in PUBLIC_PATHS

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _ALWAYS.items():
                    headers[name] = value
                if private:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)
