"""Rows to API shapes: what a traveller and a reviewer see of a declaration."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from itdeclare.models.enums import DeclarationStatus as S
from itdeclare.models.status import IN_REVIEW, redeclarations_left
from itdeclare.server import schemas
from itdeclare.server.blobs import JPEG, PDF, PNG, BlobStore
from itdeclare.server.services import pace, queue
from itdeclare.server.tables import (
    Account,
    Attachment,
    Certificate,
    DeclarationRow,
    Event,
    Inserted,
    Person,
    utcnow,
)


def account(row: Account) -> schemas.AccountOut:
    return schemas.AccountOut(
        id=row.id,
        kind=row.kind,
        phone=row.phone,
        consulate=row.consulate,
    )


def person(row: Person) -> schemas.PersonOut:
    return schemas.PersonOut(
        id=row.id,
        relationship=row.relationship,
        subject=row.subject,
        created_at=row.created_at,
    )


def status(row: DeclarationRow, certificate: Certificate | None) -> S:
    """The status as the traveller sees it: an approval whose certificate has run out is
    ``expired`` (derived when read; nothing has to run at the moment it expires)."""
    current = S(row.status)
    if current is S.APPROVED and certificate is not None and certificate.expires_at <= utcnow():
        return S.EXPIRED
    return current


def certificate_of(session: Session, row: DeclarationRow) -> Certificate | None:
    return session.execute(
        select(Certificate).where(Certificate.declaration_id == row.id)
    ).scalar_one_or_none()


def _position(session: Session, row: DeclarationRow) -> int | None:
    if row.status not in {s.value for s in IN_REVIEW}:
        return None
    return queue.position(session, row.consulate, row.queue_seq)


def redeclarations_left_for(row: DeclarationRow | Inserted) -> int:
    """Only the open end of a chain can be re-declared."""
    return redeclarations_left(row.redeclarations_used) if row.replaced_by_id is None else 0


def declaration(session: Session, row: DeclarationRow) -> schemas.DeclarationOut:
    # Only an approval has a certificate whose expiry can change what the status reads.
    certificate = certificate_of(session, row) if row.status == S.APPROVED else None
    return _declaration(row, status(row, certificate), _position(session, row))


def queued(row: Inserted, position: int) -> schemas.DeclarationOut:
    """A declaration just filed, whose place its filing has told: no queries."""
    return _declaration(row, S(row.status), position)


def _declaration(
    row: DeclarationRow | Inserted, shown: S, position: int | None
) -> schemas.DeclarationOut:
    return schemas.DeclarationOut(
        id=row.id,
        person_id=row.person_id,
        chain_id=row.chain_id,
        status=shown,
        queue_position=position,
        redeclarations_left=redeclarations_left_for(row),
        consulate=row.consulate,
        replaces=row.replaces_id,
        replaced_by=row.replaced_by_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _filing(row: DeclarationRow, *, with_actor: bool) -> schemas.HistoryItem:
    """The first step of every history, read from the declaration itself."""
    return schemas.HistoryItem(
        at=row.created_at,
        action="redeclared" if row.replaces_id else "submitted",
        status=S.PENDING_REVIEW,
        actor="traveller",
        actor_id=row.account_id if with_actor else None,
    )


def _history(
    row: DeclarationRow, events: Sequence[Event], *, with_actor: bool
) -> list[schemas.HistoryItem]:
    return [_filing(row, with_actor=with_actor)] + [
        schemas.HistoryItem(
            at=event.at,
            action=event.action,
            status=event.status,
            note=event.note,
            attachment_ids=list((event.data or {}).get("attachment_ids", [])),
            actor=event.actor_kind,
            actor_id=event.actor_id if with_actor else None,
        )
        for event in events
    ]


def attachment(row: Attachment) -> schemas.AttachmentOut:
    return schemas.AttachmentOut(
        id=row.id,
        sha256=row.sha256,
        content_type=row.content_type,
        size=row.size,
        created_at=row.created_at,
        test_index=row.test_index,
    )


#: What an attachment download answers with, as the API document tells it: one of the types
#: an upload is accepted as.
_EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}


def attachment_file(blobs: BlobStore, row: Attachment) -> Response:
    """The attachment's bytes, of the type judged from them when it was uploaded, always as a
    download (never shown inline: a file that is also HTML must not be rendered as a page;
    ``nosniff`` and the content policy come from ``headers.py``)."""
    filename = f"{row.id}.{_EXTENSIONS.get(row.content_type, 'bin')}"
    return blobs.response(row.sha256, row.content_type, row.size, filename)


def detail(
    session: Session, row: DeclarationRow, *, for_reviewer: bool = False
) -> schemas.DeclarationDetail:
    """The declaration with its document, history, attachments and, while it waits in review,
    the estimated wait at its consulate's recent pace."""
    events = session.execute(
        select(Event).where(Event.declaration_id == row.id).order_by(Event.at, Event.id)
    ).scalars()
    attachments = session.execute(
        select(Attachment)
        .where(Attachment.declaration_id == row.id)
        .order_by(Attachment.created_at, Attachment.id)
    ).scalars()
    summary = declaration(session, row)
    wait = None
    if summary.queue_position is not None:
        decisions = pace.recent_decisions(session, row.consulate, utcnow())
        wait = pace.estimated_wait_s(decisions, summary.queue_position)
    return schemas.DeclarationDetail(
        **summary.model_dump(),
        estimated_wait_s=wait,
        declaration=row.document,
        review_note=row.review_note,
        history=_history(row, list(events), with_actor=for_reviewer),
        attachments=[attachment(a) for a in attachments],
    )


def queue_item(row: DeclarationRow, position: int) -> schemas.QueueItem:
    subject = row.document["subject"]
    return schemas.QueueItem(
        id=row.id,
        queue_position=position,
        status=row.status,
        submitted_at=row.created_at,
        name=f"{subject['family_name']} {subject['given_name']}",
        nationality=subject["nationality"],
        residence_country=row.document["residence"]["country"],
    )
