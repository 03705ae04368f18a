"""The consulate reviewer's API: its own consulate's queue, declarations and decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import FileResponse

from itdeclare.server import responses, schemas, threads
from itdeclare.server.bodies import JsonBodyRoute
from itdeclare.server.deps import BackendDep, Reviewer
from itdeclare.server.services.operations import attachments, review

router = APIRouter(prefix="/api/v1/review", tags=["review"], route_class=JsonBodyRoute)


@router.get("/queue", response_model=schemas.Items[schemas.QueueItem], responses=responses.QUEUE)
async def review_queue(
    account: Reviewer,
    state: BackendDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    after: Annotated[
        str | None,
        Query(max_length=64, description="Continue after this declaration id (paging)."),
    ] = None,
) -> schemas.Items[schemas.QueueItem]:
    """The consulate's declarations in review, first come first served."""
    return await threads.run(review.queue, state, account, limit, after)


@router.get(
    "/{declaration_id}", response_model=schemas.DeclarationDetail, responses=responses.REVIEW
)
async def review_declaration(
    declaration_id: str, account: Reviewer, state: BackendDep
) -> schemas.DeclarationDetail:
    return await threads.run(review.declaration, state, account, declaration_id)


@router.get(
    "/{declaration_id}/attachments/{attachment_id}",
    response_class=FileResponse,
    responses=responses.REVIEW_DOWNLOAD,
)
async def review_attachment(
    declaration_id: str, attachment_id: str, account: Reviewer, state: BackendDep
) -> Response:
    return await threads.run(attachments.download, state, account, declaration_id, attachment_id)


@router.post(
    "/{declaration_id}/decision",
    response_model=schemas.DeclarationDetail,
    responses=responses.DECIDE,
)
async def decide(
    declaration_id: str, body: schemas.DecisionIn, account: Reviewer, state: BackendDep
) -> schemas.DeclarationDetail:
    """Approve, reject (with the reason) or ask for supplementary material (with a message)."""
    return await threads.run(review.decide, state, account, declaration_id, body)
