"""What one worker process of the backend holds: the settings, the database, the blob store,
the code sender and the certificate issuer. Routes receive it (``deps.BackendDep``) and hand it
to the service operations (``services/operations/``), which open the transactions."""

from __future__ import annotations

from dataclasses import dataclass

from itdeclare.server.blobs import BlobStore
from itdeclare.server.config import ServerConfig
from itdeclare.server.db import Database
from itdeclare.server.senders import CodeSender
from itdeclare.server.services.issuing import Issuer


@dataclass
class Backend:
    """Everything one worker process holds; nothing here is shared state between requests
    beyond what the database keeps, so any number of workers can run side by side."""

    config: ServerConfig
    db: Database
    blobs: BlobStore
    sender: CodeSender
    issuer: Issuer
    code_secret: bytes
    """The key of the sign-in codes' HMAC (``credentials.code_secret``)."""
