"""A live chain holds its holder's names and date of birth within the account too: a second
person entry for one traveller in an account cannot start a second chain with another document
(``services.live.named_key``). The rows are added for the chains already live.

Revision ID: 0008_live_names
Revises: 0007_live_numbers
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008_live_names"
down_revision = "0007_live_numbers"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this revision stays as it was when the models change.
_TIME = sa.DateTime(timezone=True)
_NOT_LETTERS = re.compile(r"[^A-Z]")

_declarations = sa.table(
    "declarations",
    sa.column("chain_id", sa.String),
    sa.column("document", sa.JSON),
    sa.column("created_at", _TIME),
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
    taken = set(connection.execute(sa.select(_live.c.document_key)).scalars())
    for chain in _live_chains(connection):
        declared = connection.execute(
            sa.select(_declarations.c.document).where(_declarations.c.chain_id == chain.chain_id)
        ).scalars()
        named = {_named_key(chain.account_id, document["subject"]) for document in declared}
        for key in sorted(named - taken):
            taken.add(key)
            connection.execute(
                sa.insert(_live).values(
                    document_key=key,
                    chain_id=chain.chain_id,
                    account_id=chain.account_id,
                    live_until=chain.live_until,
                )
            )


def downgrade() -> None:
    op.get_bind().execute(sa.delete(_live).where(_live.c.document_key.like("named:%")))


def _live_chains(connection: sa.Connection) -> Any:
    """Every chain holding rows, with its account and the end of its trip, the newest first:
    where two entries of one account were filed for one traveller (before this rule), the newer
    chain holds the name, as revisions 0006 and 0007 gave the newer the rows both declared."""
    held = (
        sa.select(
            _live.c.chain_id,
            sa.func.min(_live.c.account_id).label("account_id"),
            sa.func.max(_live.c.live_until).label("live_until"),
        )
        .group_by(_live.c.chain_id)
        .subquery()
    )
    newest = (
        sa.select(_declarations.c.chain_id, sa.func.max(_declarations.c.created_at).label("at"))
        .group_by(_declarations.c.chain_id)
        .subquery()
    )
    return connection.execute(
        sa.select(held)
        .join(newest, newest.c.chain_id == held.c.chain_id)
        .order_by(newest.c.at.desc(), held.c.chain_id)
    ).all()


def _named_key(account_id: str, subject: dict[str, Any]) -> str:
    family = _NOT_LETTERS.sub("", str(subject["family_name"]).upper())
    given = _NOT_LETTERS.sub("", str(subject["given_name"]).upper())
    named = f"{account_id}:{subject['date_of_birth']}:{family}/{given}"
    return f"named:{hashlib.sha256(named.encode()).hexdigest()[:40]}"
