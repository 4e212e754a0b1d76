"""Recent questions asked of each workspace (the Ask page).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cx_ask_questions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_by", sa.String(320)),
    )
    op.create_index("ix_cx_ask_questions_workspace_id", "cx_ask_questions", ["workspace_id"])


def downgrade() -> None:
    op.drop_index("ix_cx_ask_questions_workspace_id", "cx_ask_questions")
    op.drop_table("cx_ask_questions")
