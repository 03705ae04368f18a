"""Headers every answer carries, so that no browser ever reads the API as a page.

- ``X-Content-Type-Options: nosniff`` and a content policy that allows nothing: an attachment
  that is also valid HTML (a polyglot) is never rendered or run, whatever a browser guesses.
- ``Cache-Control: no-store`` on everything but the public documents: tokens, codes and
  personal data must not stay in a shared or a browser cache.

The development page ``/docs`` (Swagger UI, only with ``--dev``) is the one page: its policy
lets it run scripts and load styles from this server, and nothing from anywhere else.
"""

from __future__ import annotations

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


def _is_docs(path: str) -> bool:
    return path == DOCS_PREFIX or path.startswith(f"{DOCS_PREFIX}/")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = _is_docs(scope["path"])
        private = not docs and scope["path"] not in PUBLIC_PATHS

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _ALWAYS.items():
                    headers[name] = value
                headers["Content-Security-Policy"] = DOCS_POLICY if docs else API_POLICY
                if private:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)
