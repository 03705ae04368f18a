"""Uploaded files kept in the database (on PostgreSQL), in pieces, so hosts share nothing else.

Revision ID: 0003_blob_chunks
Revises: 0002_live_documents
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_blob_chunks"
down_revision = "0002_live_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob_chunks",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "seq", name=op.f("pk_blob_chunks")),
    )


def downgrade() -> None:
    op.drop_table("blob_chunks")
