"""What anyone may read: the signed revocation list and the backend's health."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from itdeclare.server import schemas
from itdeclare.server.backend import Backend
from itdeclare.server.tables import Certificate, utcnow


def revocations(backend: Backend) -> dict[str, Any]:
    """The signed list of revoked certificates. Revocations are never undone, so their count
    is the list's sequence number: it only grows."""
    with backend.db.read() as session:
        revoked = session.execute(
            select(Certificate.declaration_id).where(
                Certificate.revoked_at.is_not(None), Certificate.declaration_id.is_not(None)
            )
        ).scalars()
        ids = [declaration_id for declaration_id in revoked if declaration_id is not None]
    return backend.issuer.revocation_list(ids, sequence=len(ids), now=utcnow())


def health(backend: Backend) -> schemas.Health:
    """The database answers; which one it is, whether certificates can be signed now."""
    with backend.db.read() as session:
        session.execute(text("SELECT 1"))
    return schemas.Health(
        status="ok",
        database="sqlite" if backend.db.sqlite else "postgresql",
        dev=backend.config.dev,
        certificates=backend.issuer.can_sign(utcnow()),
    )
