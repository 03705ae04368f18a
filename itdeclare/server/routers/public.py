"""What anyone may read: the rules in force and the service's health."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from itdeclare.models.rules import default_rules
from itdeclare.server import schemas
from itdeclare.server.deps import BackendDep

router = APIRouter(tags=["public"])


@router.get("/api/v1/rules")
def rules() -> dict[str, Any]:
    """The entry rules in force (versioned data; the client checks drafts against them)."""
    return default_rules().model_dump(mode="json")


@router.get("/healthz", response_model=schemas.Health)
def healthz(state: BackendDep) -> schemas.Health:
    with state.db.read() as session:
        session.execute(text("SELECT 1"))
    return schemas.Health(
        status="ok",
        database="sqlite" if state.db.sqlite else "postgresql",
        dev=state.config.dev,
        certificates=state.issuer is not None,
    )
