"""The outbound traveller's certificate, generated from the health authority's records."""

from __future__ import annotations

from itdeclare.models import OutboundRequest
from itdeclare.server.backend import Backend
from itdeclare.server.services import outbound
from itdeclare.server.tables import Account, utcnow


def outbound_certificate(
    backend: Backend, account: Account, request: OutboundRequest
) -> outbound.Outbound | None:
    """The certificate, or ``None`` when no record matches (the failure committed, counted)."""
    limit = backend.config.backend.outbound_failures_per_hour
    return backend.db.write(
        lambda session: outbound.certificate(
            session, account, request, backend.issuer, limit, utcnow()
        )
    )
