"""goAML report exports: every file that left for the FIU, versioned per case, with its SHA-256.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_export",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_file.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("profile", sa.String(60), nullable=False),
        sa.Column("report_code", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("report_input", sa.Text, nullable=False),
        sa.Column("exported_by", sa.String(200), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "kind", "version", name="uq_report_export_case_kind_version"),
    )
    op.create_index("ix_report_export_case_id", "report_export", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_report_export_case_id", table_name="report_export")
    op.drop_table("report_export")
