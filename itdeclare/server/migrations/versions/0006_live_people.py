"""One live chain per person too, and one key per document however it is written: the
``live_documents`` rows made again from the chains already live.

A key is now the document's issuing country and number, without its type or a permit booklet's
issue count; a live chain also holds a row for its person, and every document it declared
until its trip is over (``services.live``). The rows before this revision held only the
document each chain declared last, under a key with its type.

Revision ID: 0006_live_people
Revises: 0005_attachment_test
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006_live_people"
down_revision = "0005_attachment_test"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this revision stays as it was when the models change.
_TIME = sa.DateTime(timezone=True)
#: A code is valid until a day after the flight into China lands.
_AFTER_ARRIVAL = timedelta(days=1)
#: Permits whose older booklets add a two-digit issue count to the number held for life.
_LIFELONG_LENGTH = {"hk_macao_permit": 9, "taiwan_permit": 8}
_PAGE = 1000

_declarations = sa.table(
    "declarations",
    sa.column("id", sa.String),
    sa.column("chain_id", sa.String),
    sa.column("account_id", sa.String),
    sa.column("person_id", sa.String),
    sa.column("replaced_by_id", sa.String),
    sa.column("status", sa.String),
    sa.column("document", sa.JSON),
    sa.column("created_at", _TIME),
)
_certificates = sa.table(
    "certificates",
    sa.column("declaration_id", sa.String),
    sa.column("expires_at", _TIME),
    sa.column("revoked_at", _TIME),
)
_live = sa.table(
    "live_documents",
    sa.column("document_key", sa.String),
    sa.column("chain_id", sa.String),
    sa.column("account_id", sa.String),
    sa.column("live_until", _TIME),
)


def upgrade() -> None:
    connection = op.get_bind()
    connection.execute(sa.delete(_live))
    _fill(connection, datetime.now(UTC))


def downgrade() -> None:
    """Back to one row per live chain, its last document under a key with its type."""
    connection = op.get_bind()
    connection.execute(sa.delete(_live))
    taken: set[str] = set()
    for end in _open_ends(connection):
        key = _typed_key(end.document["subject"])
        until = _until(connection, end)
        if until > datetime.now(UTC) and key not in taken:
            taken.add(key)
            _hold(connection, key, end, until)


def _key(subject: dict[str, Any]) -> str:
    document = subject["document"]
    number = re.sub(r"[^0-9A-Z]", "", str(document["number"]).upper())
    return f"{subject['nationality']}:{number[: _LIFELONG_LENGTH.get(document['type'])]}"


def _typed_key(subject: dict[str, Any]) -> str:
    number = re.sub(r"[^0-9A-Z]", "", str(subject["document"]["number"]).upper())
    return f"{subject['nationality']}:{subject['document']['type']}:{number}"


def _until(connection: sa.Connection, row: Any) -> datetime:
    arrives = datetime.fromisoformat(row.document["itinerary"][-1]["arrives_at"])
    until = arrives.astimezone(UTC) + _AFTER_ARRIVAL
    if row.status == "approved":
        expires = connection.execute(
            sa.select(_certificates.c.expires_at).where(
                _certificates.c.declaration_id == row.id, _certificates.c.revoked_at.is_(None)
            )
        ).scalar_one_or_none()
        if expires is not None:
            expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
            until = max(until, expires)
    return until


def _open_ends(connection: sa.Connection) -> Any:
    """The last declaration of every chain, newest first, a page at a time."""
    last: tuple[Any, str] | None = None
    while True:
        query = (
            sa.select(_declarations)
            .where(_declarations.c.replaced_by_id.is_(None))
            .order_by(_declarations.c.created_at.desc(), _declarations.c.id.desc())
            .limit(_PAGE)
        )
        if last is not None:
            query = query.where(
                sa.tuple_(_declarations.c.created_at, _declarations.c.id) < sa.tuple_(*last)
            )
        rows = connection.execute(query).all()
        if not rows:
            return
        yield from rows
        last = (rows[-1].created_at, rows[-1].id)


def _hold(connection: sa.Connection, key: str, end: Any, until: datetime) -> None:
    connection.execute(
        sa.insert(_live).values(
            document_key=key,
            chain_id=end.chain_id,
            account_id=end.account_id,
            live_until=until.astimezone(UTC),
        )
    )


def _fill(connection: sa.Connection, now: datetime) -> None:
    """Every chain whose trip is not over holds its person and every document it declared;
    where two chains already hold one (filed before these rules), the newer keeps it."""
    taken: set[str] = set()
    for end in _open_ends(connection):
        until = _until(connection, end)
        if until <= now:
            continue
        declared = connection.execute(
            sa.select(_declarations.c.document).where(_declarations.c.chain_id == end.chain_id)
        ).scalars()
        keys = {f"person:{end.person_id}"} | {_key(document["subject"]) for document in declared}
        for key in sorted(keys - taken):
            taken.add(key)
            _hold(connection, key, end, until)
