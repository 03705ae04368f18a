"""A live chain holds its documents' numbers with the holder's date of birth too: one number
declared with another type or issuing country is the document already live
(``services.live.born_key``). The rows are added for the chains already live.

Revision ID: 0007_live_numbers
Revises: 0006_live_people
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007_live_numbers"
down_revision = "0006_live_people"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this revision stays as it was when the models change.
_TIME = sa.DateTime(timezone=True)
_SEPARATORS = re.compile(r"[^0-9A-Z]")
#: A permit's lifelong number and its booklet's issue count, told by shape alone.
_PERMIT_WITH_ISSUE_COUNT = re.compile(r"([HM][0-9]{8}|[0-9]{8})[0-9]{2}")

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
        for key in sorted({_born_key(document["subject"]) for document in declared} - taken):
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
    op.get_bind().execute(sa.delete(_live).where(_live.c.document_key.like("born:%")))


def _live_chains(connection: sa.Connection) -> Any:
    """Every chain holding rows, with its account and the end of its trip (the same on each of
    its rows), the newest first: where two chains declared one number (filed before this rule),
    the newer holds it, as revision 0006 gave the newer a document both declared. A chain
    whose trip is over holds nothing a new chain cannot take over, so it needs no more."""
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


def _born_key(subject: dict[str, Any]) -> str:
    compact = _SEPARATORS.sub("", str(subject["document"]["number"]).upper())
    permit = _PERMIT_WITH_ISSUE_COUNT.fullmatch(compact)
    return f"born:{subject['date_of_birth']}:{permit.group(1) if permit else compact}"
