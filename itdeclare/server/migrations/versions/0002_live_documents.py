"""One live declaration chain per travel document: the ``live_documents`` table, filled with the
chains already live.

Revision ID: 0002_live_documents
Revises: 0001
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002_live_documents"
down_revision = "0001"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this revision stays as it was when the models change.
_TIME = sa.DateTime(timezone=True)
#: A code is valid until a day after the flight into China lands.
_AFTER_ARRIVAL = timedelta(days=1)
_PAGE = 1000

_declarations = sa.table(
    "declarations",
    sa.column("id", sa.String),
    sa.column("chain_id", sa.String),
    sa.column("account_id", sa.String),
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
    op.create_table(
        "live_documents",
        sa.Column("document_key", sa.String(length=64), nullable=False),
        sa.Column("chain_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("live_until", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_live_documents_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("document_key", name=op.f("pk_live_documents")),
    )
    with op.batch_alter_table("live_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_live_documents_chain_id"), ["chain_id"], unique=False)
    _fill(op.get_bind(), datetime.now(UTC))


def downgrade() -> None:
    with op.batch_alter_table("live_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_live_documents_chain_id"))
    op.drop_table("live_documents")


def _key(subject: dict[str, Any]) -> str:
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


def _fill(connection: sa.Connection, now: datetime) -> None:
    """The open end of every chain whose trip is not over holds its document; where two chains
    already hold one document (filed before this rule), the newer keeps it."""
    taken: set[str] = set()
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
        for row in rows:
            key, until = _key(row.document["subject"]), _until(connection, row)
            if until > now and key not in taken:
                taken.add(key)
                connection.execute(
                    sa.insert(_live).values(
                        document_key=key,
                        chain_id=row.chain_id,
                        account_id=row.account_id,
                        live_until=until.astimezone(UTC),
                    )
                )
        last = (rows[-1].created_at, rows[-1].id)
