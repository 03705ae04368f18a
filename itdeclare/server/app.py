"""The FastAPI application of the backend (``itdeclare serve`` and the embedded local backend)."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from itdeclare import __version__
from itdeclare.server import credentials, deps, docs_page, errors, responses
from itdeclare.server.backend import Backend
from itdeclare.server.blobs import blob_store
from itdeclare.server.config import ServerConfig
from itdeclare.server.db import Database
from itdeclare.server.headers import SecurityHeaders
from itdeclare.server.limits import BodyLimit
from itdeclare.server.routers import auth, declarations, outbound, persons, public, review
from itdeclare.server.senders import sender_for
from itdeclare.server.services import filing_at_once
from itdeclare.server.services.issuing import open_issuer

#: Bodies other than uploads are small JSON documents.
JSON_BODY_LIMIT = 256 * 1024
#: Room for the multipart framing around an attachment.
MULTIPART_OVERHEAD = 64 * 1024
#: With several workers, each process rebuilds its configuration from this variable.
CONFIG_ENV = "ITDECLARE_SERVER_CONFIG_JSON"


def create_app(config: ServerConfig) -> FastAPI:
    """The application; the signing keys must exist (``runtime.prepare`` makes them in dev)."""
    db = Database(config.database_url)
    backend = Backend(
        config=config,
        db=db,
        blobs=blob_store(config, db),
        sender=sender_for(config.backend.code_webhook_url, dev=config.dev),
        issuer=open_issuer(config),
        code_secret=credentials.code_secret(config.code_secret_file),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        backend.db.prepare(filing_at_once.STATEMENTS)
        yield
        await backend.db.aclose()
        backend.db.dispose()

    app = FastAPI(
        title="itdeclare backend",
        version=__version__,
        summary="Returnee health declarations: review queue, re-declaration, certificates.",
        lifespan=lifespan,
        # FastAPI's own pages load their scripts from a CDN: /docs is docs_page's, with --dev.
        docs_url=None,
        redoc_url=None,
        # A redirect to the path with(out) its trailing slash would be built from the Host
        # header the client sent: answer 404 rather than reflect it.
        redirect_slashes=False,
    )
    app.state.backend = backend
    errors.install(app)
    deps.install(app)  # after errors: it wraps their answer to a refused body
    responses.install(app)
    for module in (auth, persons, declarations, review, outbound, public):
        app.include_router(module.router)
    upload_limit = config.backend.attachment_max_bytes + MULTIPART_OVERHEAD
    app.add_middleware(
        BodyLimit,
        limit_for=lambda path: upload_limit if path.endswith("/attachments") else JSON_BODY_LIMIT,
    )
    # The last added is the outermost: an unexpected error's 500 gets the security headers.
    app.add_middleware(errors.UnexpectedErrors)
    app.add_middleware(SecurityHeaders)
    if config.dev:
        docs_page.install(app)
    return app


def app_from_environment() -> FastAPI:
    """The factory each worker process calls when ``serve`` runs several workers."""
    config = ServerConfig.model_validate_json(os.environ[CONFIG_ENV])
    return serving(create_app(config))


def serving(app: FastAPI) -> FastAPI:
    """``app``, about to serve until its process ends: what exists by now (the modules, the
    application) lives as long, so the garbage collector is told to leave it be. Its full
    passes went over all of it, ~170,000 objects, and took 100 ms each, while no request
    moved: those pauses were the submissions' p99 (``bench/server.py --compare``: 103 -> 75
    ms); a full pass now takes 7 ms. The embedded backend does not: the app owns its process."""
    gc.collect()  # nothing unreachable is kept for good
    gc.freeze()
    return app
