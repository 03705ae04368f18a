"""Headers every answer carries, so that no browser ever reads the API as a page.

- ``X-Content-Type-Options: nosniff`` and a content policy that allows nothing: an attachment
  that is also valid HTML (a polyglot) is never rendered or run, whatever a browser guesses.
- ``Cache-Control: no-store`` on everything but the public documents: tokens, codes and
  personal data must not stay in a shared or a browser cache.

The development page ``/docs`` (Swagger UI, only with ``--dev``) is the one page: its policy
lets it run scripts and load styles from this server, and nothing from anywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: What anyone may read and cache: they hold no personal data.
PUBLIC_PATHS = frozenset(
    {"/api/v1/trust-list", "/api/v1/revocations", "/api/v1/rules", "/healthz", "/openapi.json"}
)
#: The development page and its assets (``docs_page``): public, and a page.
DOCS_PREFIX = "/docs"
_ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
API_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
# Swagger UI sets style attributes from its script, and draws its icons as data: images.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)


#: What an answer of personal data carries; also every refusal of a connection (``protocol``).
PRIVATE_HEADERS: Mapping[str, str] = {
    **_ALWAYS,
    "Content-Security-Policy": API_POLICY,
    "Cache-Control": "no-store",
}
_PUBLIC_HEADERS: Mapping[str, str] = {**_ALWAYS, "Content-Security-Policy": API_POLICY}
_DOCS_HEADERS: Mapping[str, str] = {**_ALWAYS, "Content-Security-Policy": DOCS_POLICY}


def _headers_for(path: str) -> Mapping[str, str]:
    if path == DOCS_PREFIX or path.startswith(f"{DOCS_PREFIX}/"):
        return _DOCS_HEADERS
    return _PUBLIC_HEADERS if path in PUBLIC_PATHS else PRIVATE_HEADERS


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = _headers_for(scope["path"])

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in added.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)
