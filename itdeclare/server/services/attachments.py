"""Attachments of a declaration: rows that name blobs stored by content (``blobs.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from itdeclare.models.enums import DeclarationStatus as S
from itdeclare.models.status import IN_REVIEW
from itdeclare.server.blobs import StoredBlob
from itdeclare.server.errors import ApiError, not_found
from itdeclare.server.services.declarations import own_declaration
from itdeclare.server.tables import Account, Attachment, is_id

MAX_PER_DECLARATION = 20


def add(
    session: Session, account: Account, declaration_id: str, blob: StoredBlob, now: datetime
) -> Attachment:
    row = own_declaration(session, account, declaration_id, lock=True)
    if S(row.status) not in IN_REVIEW:
        raise ApiError(409, "not_in_review", {"status": S(row.status)})
    count = session.execute(
        select(func.count()).select_from(Attachment).where(Attachment.declaration_id == row.id)
    ).scalar_one()
    if count >= MAX_PER_DECLARATION:
        raise ApiError(409, "too_many_attachments", {"max": MAX_PER_DECLARATION})
    attachment = Attachment(
        declaration_id=row.id,
        sha256=blob.sha256,
        content_type=blob.content_type,
        size=blob.size,
        created_at=now,
    )
    session.add(attachment)
    session.flush()
    return attachment


def of_declaration(session: Session, declaration_id: str, attachment_id: str) -> Attachment:
    found = session.get(Attachment, attachment_id) if is_id(attachment_id) else None
    if found is None or found.declaration_id != declaration_id:
        raise not_found()
    return found
