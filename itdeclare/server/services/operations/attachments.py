"""A declaration's attachments: the traveller's upload, and the one download both the
traveller and the consulate's reviewer use."""

from __future__ import annotations

from typing import BinaryIO

from fastapi import Response

from itdeclare.server import schemas, uploads, views
from itdeclare.server.backend import Backend
from itdeclare.server.services import accounts, attachments, declarations, review
from itdeclare.server.tables import Account, utcnow


def upload(
    backend: Backend,
    account: Account,
    declaration_id: str,
    content: BinaryIO,
    test_index: int | None = None,
) -> schemas.AttachmentOut:
    """Refuse before reading the bytes when there is no room (or no such test); check them
    (type, size, pixels); store them under the declaration's lock, where the room is checked
    again."""
    with backend.db.read() as session:
        row = declarations.own_declaration(session, account, declaration_id)
        attachments.check_room(session, row)
        attachments.check_test(row, test_index)
    settings = backend.config.backend
    limits = uploads.UploadLimits(settings.attachment_max_bytes, settings.attachment_max_pixels)
    checked = uploads.check(content, limits)
    stored = backend.db.write(
        lambda session: attachments.add(
            session,
            account,
            declaration_id,
            lambda: backend.blobs.put(content, checked),
            utcnow(),
            test_index=test_index,
        )
    )
    return views.attachment(stored)


def download(
    backend: Backend, account: Account, declaration_id: str, attachment_id: str
) -> Response:
    """The attachment's bytes, to whoever may read its declaration: a traveller their own, a
    reviewer their consulate's (any other answers 404)."""
    with backend.db.read() as session:
        if account.kind == accounts.REVIEWER:
            review.reviewed_declaration(session, account, declaration_id)
        else:
            declarations.own_declaration(session, account, declaration_id)
        found = attachments.of_declaration(session, declaration_id, attachment_id)
    return views.attachment_file(backend.blobs, found)
