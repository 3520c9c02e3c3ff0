"""Watchlists, their versions and the entities of each version.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watchlist",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "list_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("list_id", sa.String(64), sa.ForeignKey("watchlist.id"), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("publisher_date", sa.String(40), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("source_path", sa.String(1000), nullable=True),
        sa.Column("entity_count", sa.Integer, nullable=False),
        sa.UniqueConstraint("list_id", "content_hash", name="uq_list_version_content"),
    )
    op.create_index("ix_list_version_list_id", "list_version", ["list_id"])
    op.create_table(
        "list_entity",
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("list_version.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("entity_id", sa.String(200), primary_key=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("caption", sa.String(1000), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("list_entity")
    op.drop_table("list_version")
    op.drop_table("watchlist")
