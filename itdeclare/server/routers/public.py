"""What anyone may read: the rules in force, the keys and revocations verifiers need, health."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select, text

from itdeclare.models.rules import default_rules
from itdeclare.server import responses, schemas
from itdeclare.server.deps import BackendDep, now
from itdeclare.server.tables import Certificate

router = APIRouter(tags=["public"])


@router.get("/api/v1/rules")
def rules() -> dict[str, Any]:
    """The entry rules in force (versioned data; the client checks drafts against them)."""
    return default_rules().model_dump(mode="json")


@router.get("/api/v1/trust-list")
def trust_list(state: BackendDep) -> dict[str, Any]:
    """The public keys that verify this backend's certificates (DESIGN.md §4.2)."""
    return state.issuer.trust_list()


@router.get("/api/v1/revocations", responses=responses.REVOCATIONS)
def revocations(state: BackendDep) -> dict[str, Any]:
    """The signed list of revoked certificates: what ``itdeclare verify --revocations`` reads.

    Revocations are never undone, so their count is the list's sequence number: it only grows.
    """
    with state.db.read() as session:
        revoked = session.execute(
            select(Certificate.declaration_id).where(
                Certificate.revoked_at.is_not(None), Certificate.declaration_id.is_not(None)
            )
        ).scalars()
        ids = [declaration_id for declaration_id in revoked if declaration_id is not None]
    return state.issuer.revocation_list(ids, sequence=len(ids), now=now())


@router.get("/healthz", response_model=schemas.Health, responses=responses.HEALTH)
def healthz(state: BackendDep) -> schemas.Health:
    with state.db.read() as session:
        session.execute(text("SELECT 1"))
    return schemas.Health(
        status="ok",
        database="sqlite" if state.db.sqlite else "postgresql",
        dev=state.config.dev,
        certificates=state.issuer.can_sign(now()),
    )
