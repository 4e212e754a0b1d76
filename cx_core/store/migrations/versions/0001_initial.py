"""Workspaces, follow-up items (versioned) and their history.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cx_workspaces",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(320)),
        sa.Column("shared_with", sa.Text, nullable=False),
        sa.Column("listed", sa.Boolean, nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("dataset_key", sa.String(64), nullable=False),
        sa.Column("meta", sa.Text, nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("responses", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(320)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", name="uq_cx_workspaces_name"),
    )
    op.create_table(
        "cx_follow_up_items",
        sa.Column("workspace_id", sa.String(32), primary_key=True),
        sa.Column("item_id", sa.String(400), primary_key=True),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("owner", sa.String(320)),
        sa.Column("due_date", sa.Date),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(320)),
    )
    op.create_table(
        "cx_follow_up_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("item_id", sa.String(400), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(320)),
        sa.Column("changes", sa.Text, nullable=False),
    )
    op.create_index("ix_cx_follow_up_history_workspace_id", "cx_follow_up_history", ["workspace_id"])


def downgrade() -> None:
    op.drop_index("ix_cx_follow_up_history_workspace_id", "cx_follow_up_history")
    op.drop_table("cx_follow_up_history")
    op.drop_table("cx_follow_up_items")
    op.drop_table("cx_workspaces")
