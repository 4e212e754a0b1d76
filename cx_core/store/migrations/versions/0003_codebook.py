"""Codebook versions of a workspace: each edit of the team's themes, with who, when and what.

Revision ID: 0003_codebook
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_codebook"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cx_codebook_versions",
        sa.Column("workspace_id", sa.String(32), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("codebook", sa.Text, nullable=False),
        sa.Column("edit", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(320)),
    )


def downgrade() -> None:
    op.drop_table("cx_codebook_versions")
