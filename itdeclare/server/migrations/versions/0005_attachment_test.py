"""An attachment may name the test it is the report of (its index in the declaration's tests).

Revision ID: 0005_attachment_test
Revises: 0004_events_action_at
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_attachment_test"
down_revision = "0004_events_action_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("test_index", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("test_index")
