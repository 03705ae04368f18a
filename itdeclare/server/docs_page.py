"""The API's interactive page, Swagger UI at ``/docs``: only in development mode (``serve
--dev`` and the embedded backend), and from this server alone. Its scripts and styles are the
files the ``fastapi-offline`` package ships, served under ``/docs/assets``; the page starts
Swagger UI from a script file of its own, not an inline one, so its content policy
(``headers.DOCS_POLICY``) allows scripts from this origin only."""

from __future__ import annotations

import html
import importlib.util
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from itdeclare.server.headers import DOCS_PREFIX as DOCS

ASSETS = f"{DOCS}/assets"

_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{title}}</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS}/favicon.png">
</head>
<body>
<div id="api"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{DOCS}/start.js"></script>
</body>
</html>
"""

# No validator badge: Swagger UI would fetch it from validator.swagger.io.
_START = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#api", validatorUrl: null});
});
"""


def _assets() -> Path:
    """The package's static files, found without importing it (the embedded backend starts
    inside the traveller's app, where every import counts)."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("fastapi-offline is not installed: the /docs page has no assets")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def install(app: FastAPI) -> None:
    """Add ``/docs``, its start script and its assets to ``app`` (none of them in the schema)."""
    page = _PAGE.format(title=html.escape(f"{app.title} {app.version}"))
    app.mount(ASSETS, StaticFiles(directory=_assets()), name="docs-assets")

    @app.get(DOCS, include_in_schema=False)
    def docs_page() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get(f"{DOCS}/start.js", include_in_schema=False)
    def docs_start() -> Response:
        return Response(_START, media_type="text/javascript")
