"""The store's tables (SQLAlchemy Core). Changes go through a new Alembic migration in migrations/."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

workspaces = Table(
    "cx_workspaces",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("owner", String(320)),  # None: a team workspace every signed-in person sees
    Column("shared_with", Text, nullable=False),  # JSON list of user names / e-mails
    Column("listed", Boolean, nullable=False),  # False: a draft, opened only through its id (its link)
    Column("dataset", String(200), nullable=False),  # "sample" or the upload's name
    Column("dataset_key", String(64), nullable=False),  # the folder of the current data set
    Column("meta", Text, nullable=False),  # JSON: reports, mappings, drivers, columns
    Column("settings", Text, nullable=False),  # JSON: role weights, driver catalogue
    Column("responses", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(320)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("name", name="uq_cx_workspaces_name"),
)

follow_up_items = Table(
    "cx_follow_up_items",
    metadata,
    Column("workspace_id", String(32), primary_key=True),
    Column("item_id", String(400), primary_key=True),
    Column("done", Boolean, nullable=False),
    Column("note", Text),
    Column("owner", String(320)),  # reassigned owner (None: the CRM's owner)
    Column("due_date", Date),  # changed due date (None: the rule's due date)
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(320)),
)

follow_up_history = Table(
    "cx_follow_up_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workspace_id", String(32), nullable=False, index=True),
    Column("item_id", String(400), nullable=False),
    Column("version", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("by", String(320)),
    Column("changes", Text, nullable=False),  # JSON {field: [old, new]}
)

ask_questions = Table(
    "cx_ask_questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workspace_id", String(32), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("lang", String(8), nullable=False),
    Column("asked_at", DateTime(timezone=True), nullable=False),
    Column("asked_by", String(320)),
)

codebook_versions = Table(
    "cx_codebook_versions",
    metadata,
    Column("workspace_id", String(32), primary_key=True),
    Column("version", Integer, primary_key=True),  # 1, 2, ...: one per saved edit, never rewritten
    Column("codebook", Text, nullable=False),  # JSON: the whole codebook as this edit left it
    Column("edit", Text, nullable=False),  # JSON: the edit ({"op": ...}) that made this version
    Column("at", DateTime(timezone=True), nullable=False),
    Column("by", String(320)),
)
