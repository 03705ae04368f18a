"""What anyone may read: the rules in force, the keys and revocations verifiers need, health."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from itdeclare.models.rules import default_rules
from itdeclare.server import responses, schemas, threads
from itdeclare.server.bodies import JsonBodyRoute
from itdeclare.server.deps import BackendDep
from itdeclare.server.services.operations import public

router = APIRouter(tags=["public"], route_class=JsonBodyRoute)


@router.get("/api/v1/rules")
async def rules() -> dict[str, Any]:
    """The entry rules in force (versioned data; the client checks drafts against them)."""
    return default_rules().model_dump(mode="json")


@router.get("/api/v1/trust-list")
async def trust_list(state: BackendDep) -> dict[str, Any]:
    """The public keys that verify this backend's certificates (DESIGN.md §4.2)."""
    return await threads.run(state.issuer.trust_list)


@router.get("/api/v1/revocations", responses=responses.REVOCATIONS)
async def revocations(state: BackendDep) -> dict[str, Any]:
    """The signed list of revoked certificates: what ``itdeclare verify --revocations`` reads."""
    return await threads.run(public.revocations, state)


@router.get("/healthz", response_model=schemas.Health, responses=responses.HEALTH)
async def healthz(state: BackendDep) -> schemas.Health:
    return await threads.run(public.health, state)
