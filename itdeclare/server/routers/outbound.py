"""The outbound traveller's certificate, generated from the health authority's records."""

from __future__ import annotations

from fastapi import APIRouter

from itdeclare.models import OutboundRequest
from itdeclare.server import responses, schemas, threads
from itdeclare.server.bodies import JsonBodyRoute
from itdeclare.server.deps import BackendDep, Traveller
from itdeclare.server.errors import ApiError
from itdeclare.server.services.operations import outbound

router = APIRouter(prefix="/api/v1/outbound", tags=["outbound"], route_class=JsonBodyRoute)


@router.post(
    "/certificate", response_model=schemas.OutboundCertificateOut, responses=responses.OUTBOUND
)
async def outbound_certificate(
    body: OutboundRequest, account: Traveller, state: BackendDep
) -> schemas.OutboundCertificateOut:
    """For a mainland ID-card holder: ID number, name and one outbound document must match, and
    the record must hold a test or a vaccination (409 ``no_health_records``)."""
    made = await threads.run(outbound.outbound_certificate, state, account, body)
    if made is None:
        raise ApiError(404, "no_matching_record")
    issued = made.issued
    return schemas.OutboundCertificateOut(
        payload=issued.payload,
        issued_at=issued.issued_at,
        expires_at=issued.expires_at,
        incomplete=bool(made.missing),
        missing=made.missing,
    )
