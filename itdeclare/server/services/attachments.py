"""Attachments of a declaration: rows that name blobs stored by content (``blobs.py``).

An upload is refused (not in review, already ``MAX_PER_DECLARATION``) before its bytes are read,
and checked again under the declaration's lock just before they are stored: twenty uploads at
once to a declaration with room for one store one file, and the others store nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from itdeclare.models.enums import DeclarationStatus as S
from itdeclare.models.problems import Problem
from itdeclare.models.status import IN_REVIEW
from itdeclare.server.blobs import StoredBlob
from itdeclare.server.errors import ApiError, invalid, not_found
from itdeclare.server.services.declarations import own_declaration
from itdeclare.server.tables import Account, Attachment, DeclarationRow, is_id

MAX_PER_DECLARATION = 20


def check_room(session: Session, row: DeclarationRow) -> None:
    """Raise 409 unless ``row`` is in review and has room for one more attachment."""
    if S(row.status) not in IN_REVIEW:
        raise ApiError(409, "not_in_review", {"status": S(row.status)})
    count = session.execute(
        select(func.count()).select_from(Attachment).where(Attachment.declaration_id == row.id)
    ).scalar_one()
    if count >= MAX_PER_DECLARATION:
        raise ApiError(409, "too_many_attachments", {"max": MAX_PER_DECLARATION})


def check_test(row: DeclarationRow, test_index: int | None) -> None:
    """Raise 422 at ``test_index`` unless it names one of the declaration's tests (or none)."""
    tests = row.document.get("tests") or []
    if test_index is not None and test_index >= len(tests):
        raise invalid([Problem("test_index", "attachment_no_such_test", {"count": len(tests)})])


def add(
    session: Session,
    account: Account,
    declaration_id: str,
    store: Callable[[], StoredBlob],
    now: datetime,
    *,
    test_index: int | None = None,
) -> Attachment:
    """Lock the declaration, check it has room, then ``store`` the bytes and name them: the
    bytes are written only for an upload that will get its row (a failed commit leaves them
    for ``BlobStore.sweep``)."""
    row = own_declaration(session, account, declaration_id, lock=True)
    check_room(session, row)
    blob = store()
    attachment = Attachment(
        declaration_id=row.id,
        sha256=blob.sha256,
        content_type=blob.content_type,
        size=blob.size,
        created_at=now,
        test_index=test_index,
    )
    session.add(attachment)
    session.flush()
    return attachment


def referenced(session: Session) -> set[str]:
    """The SHA-256 of every attachment kept (what ``BlobStore.sweep`` must leave)."""
    return set(session.execute(select(Attachment.sha256).distinct()).scalars())


def of_declaration(session: Session, declaration_id: str, attachment_id: str) -> Attachment:
    found = session.get(Attachment, attachment_id) if is_id(attachment_id) else None
    if found is None or found.declaration_id != declaration_id:
        raise not_found()
    return found
