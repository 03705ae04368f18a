"""An index on the events by action and time: the recent decisions, for the estimated wait.

Revision ID: 0004_events_action_at
Revises: 0003_blob_chunks
"""

from __future__ import annotations

from alembic import op

revision = "0004_events_action_at"
down_revision = "0003_blob_chunks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_action_at", "events", ["action", "at"])


def downgrade() -> None:
    op.drop_index("ix_events_action_at", table_name="events")
