"""The consulate's side: the queue in review order, and decisions with their audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from itdeclare.models import Declaration
from itdeclare.models.enums import DeclarationStatus as S
from itdeclare.models.problems import Problem
from itdeclare.models.status import IN_REVIEW, can_transition
from itdeclare.server.errors import ApiError, Phrase, invalid
from itdeclare.server.services import declarations, live, queue
from itdeclare.server.services.issuing import Issuer
from itdeclare.server.tables import Account, DeclarationRow

DECISIONS: dict[str, S] = {
    "approve": S.APPROVED,
    "reject": S.REJECTED,
    "request_supplement": S.SUPPLEMENT_REQUESTED,
}
#: Decisions that must say why (the traveller reads it).
NOTE_REQUIRED = frozenset({"reject", "request_supplement"})


@dataclass(frozen=True, slots=True)
class QueueEntry:
    row: DeclarationRow
    position: int


def reviewed_declaration(
    session: Session, reviewer: Account, declaration_id: str, *, lock: bool = False
) -> DeclarationRow:
    """A declaration of the reviewer's own consulate; any other answers 404."""
    mine = DeclarationRow.consulate == reviewer.consulate
    return declarations.declaration_where(session, declaration_id, mine, lock=lock)


def queue_page(
    session: Session, reviewer: Account, limit: int, after: int | None = None
) -> list[QueueEntry]:
    """The consulate's declarations in review, in review order, ``limit`` from place ``after``."""
    assert reviewer.consulate is not None
    query = select(DeclarationRow).where(
        DeclarationRow.consulate == reviewer.consulate, queue.IN_QUEUE
    )
    if after is not None:
        query = query.where(DeclarationRow.queue_seq > after)
    rows = session.execute(query.order_by(DeclarationRow.queue_seq).limit(limit)).scalars().all()
    if not rows:
        return []
    first = queue.position(session, reviewer.consulate, rows[0].queue_seq)
    return [QueueEntry(row, first + i) for i, row in enumerate(rows)]


def decide(
    session: Session,
    reviewer: Account,
    declaration_id: str,
    decision: str,
    note: str | None,
    issuer: Issuer,
    now: datetime,
    *,
    seen: datetime | None = None,
) -> DeclarationRow:
    """Record ``decision``; with ``seen`` (the version the reviewer looked at), only if the
    declaration has not changed since."""
    if decision in NOTE_REQUIRED and not note:
        raise invalid([Problem("note", "note_required", {"decision": decision})])
    row = reviewed_declaration(session, reviewer, declaration_id, lock=True)
    current, target = S(row.status), DECISIONS[decision]
    if seen is not None and row.updated_at != seen:
        # Checked under the row lock: of two reviewers who saw the same version, one decides.
        raise ApiError(409, "changed_meanwhile", {"status": current, "at": row.updated_at})
    if not can_transition(current, target):
        phrase = Phrase(f"server.decision.{decision}")
        raise ApiError(409, "invalid_transition", {"status": current, "decision": phrase})
    if current in IN_REVIEW and target not in IN_REVIEW:
        queue.leave(session, row.consulate, row.queue_seq)
    row.status = target.value
    row.review_note = note
    row.updated_at = now
    declarations.record(session, row, decision, now, actor=reviewer, note=note)
    if target is S.APPROVED:
        _issue(session, row, issuer, now)
    return row


def _issue(session: Session, row: DeclarationRow, issuer: Issuer, now: datetime) -> None:
    declaration = Declaration.model_validate(row.document)
    issued = issuer.declaration_certificate(declaration, row.id, now)
    # The chain stays live until its code expires. If its trip ended unreviewed and another
    # chain has taken the document or the person since, this one may not give a second valid
    # code.
    try:
        live.take(
            session,
            row.account_id,
            declaration,
            row.chain_id,
            row.person_id,
            now,
            until=issued.expires_at,
        )
    except ApiError as refused:
        if refused.status == 409:
            raise ApiError(409, "document_declared_elsewhere") from None
        raise
    session.add(issued.as_row(row.account_id, row.id))
