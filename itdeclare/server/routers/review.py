"""The consulate reviewer's API: its own consulate's queue, declarations and decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from itdeclare.server import responses, schemas, views
from itdeclare.server.deps import BackendDep, Reviewer, now
from itdeclare.server.services import attachments, review

router = APIRouter(prefix="/api/v1/review", tags=["review"])


@router.get("/queue", response_model=schemas.Items[schemas.QueueItem], responses=responses.QUEUE)
def review_queue(
    account: Reviewer,
    state: BackendDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    after: Annotated[
        str | None,
        Query(max_length=64, description="Continue after this declaration id (paging)."),
    ] = None,
) -> schemas.Items[schemas.QueueItem]:
    """The consulate's declarations in review, first come first served."""
    with state.db.read() as session:
        after_seq = None
        if after is not None:
            after_seq = review.reviewed_declaration(session, account, after).queue_seq
        page = review.queue_page(session, account, limit, after_seq)
        return schemas.Items(items=[views.queue_item(e.row, e.position) for e in page])


@router.get(
    "/{declaration_id}", response_model=schemas.DeclarationDetail, responses=responses.REVIEW
)
def review_declaration(
    declaration_id: str, account: Reviewer, state: BackendDep
) -> schemas.DeclarationDetail:
    with state.db.read() as session:
        row = review.reviewed_declaration(session, account, declaration_id)
        return views.detail(session, row, for_reviewer=True)


@router.get(
    "/{declaration_id}/attachments/{attachment_id}",
    response_class=FileResponse,
    responses=responses.REVIEW_DOWNLOAD,
)
def review_attachment(
    declaration_id: str, attachment_id: str, account: Reviewer, state: BackendDep
) -> Response:
    with state.db.read() as session:
        review.reviewed_declaration(session, account, declaration_id)
        found = attachments.of_declaration(session, declaration_id, attachment_id)
    return views.attachment_file(state.blobs, found)


@router.post(
    "/{declaration_id}/decision",
    response_model=schemas.DeclarationDetail,
    responses=responses.DECIDE,
)
def decide(
    declaration_id: str, body: schemas.DecisionIn, account: Reviewer, state: BackendDep
) -> schemas.DeclarationDetail:
    """Approve, reject (with the reason) or ask for supplementary material (with a message)."""

    def work(session: Session) -> schemas.DeclarationDetail:
        row = review.decide(
            session,
            account,
            declaration_id,
            body.decision,
            body.note,
            state.issuer,
            now(),
            seen=body.expected_updated_at,
        )
        session.flush()
        return views.detail(session, row, for_reviewer=True)

    return state.db.write(work)
