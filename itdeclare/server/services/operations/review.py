"""The consulate reviewer's requests: the queue, a declaration, a decision."""

from __future__ import annotations

from sqlalchemy.orm import Session

from itdeclare.server import schemas, views
from itdeclare.server.backend import Backend
from itdeclare.server.services import review
from itdeclare.server.tables import Account, utcnow


def queue(
    backend: Backend, account: Account, limit: int, after: str | None
) -> schemas.Items[schemas.QueueItem]:
    """``limit`` declarations in review order, after the declaration ``after`` (paging)."""
    with backend.db.read() as session:
        after_seq = None
        if after is not None:
            after_seq = review.reviewed_declaration(session, account, after).queue_seq
        page = review.queue_page(session, account, limit, after_seq)
        return schemas.Items(items=[views.queue_item(e.row, e.position) for e in page])


def declaration(
    backend: Backend, account: Account, declaration_id: str
) -> schemas.DeclarationDetail:
    with backend.db.read() as session:
        row = review.reviewed_declaration(session, account, declaration_id)
        return views.detail(session, row, for_reviewer=True)


def decide(
    backend: Backend,
    account: Account,
    declaration_id: str,
    decision: schemas.DecisionIn,
) -> schemas.DeclarationDetail:
    def work(session: Session) -> schemas.DeclarationDetail:
        row = review.decide(
            session,
            account,
            declaration_id,
            decision.decision,
            decision.note,
            backend.issuer,
            utcnow(),
            seen=decision.expected_updated_at,
        )
        session.flush()
        return views.detail(session, row, for_reviewer=True)

    return backend.db.write(work)
