"""Indexes for the alert queue: filtered, counted and paged in SQL by status and source.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The queue lists a status's alerts in id order, a page at a time, and counts them: (status, id)
    # serves both without a sort; source is the queue's other usual filter.
    op.create_index("ix_alert_status_id", "alert", ["status", "id"])
    op.create_index("ix_alert_source", "alert", ["source"])


def downgrade() -> None:
    op.drop_index("ix_alert_source", table_name="alert")
    op.drop_index("ix_alert_status_id", table_name="alert")
