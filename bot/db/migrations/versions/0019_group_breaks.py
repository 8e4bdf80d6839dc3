"""group breaks: a stretch together in a channel, and who joined and did it

Revision ID: 0019
Revises: 0011

New tables only: everyone's data and settings stay as they were.
"""

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None

OPEN = "ended_at IS NULL"


def _instant(name: str, nullable: bool) -> sa.Column:
    return sa.Column(name, bot.db.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "group_breaks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("requested_in", sa.String(length=32), nullable=True),
        sa.Column("started_by", sa.String(length=32), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        _instant("starts_at", False),
        _instant("closes_at", False),
        sa.Column("invitation_ts", sa.String(length=32), nullable=True),
        sa.Column("exercise_ts", sa.String(length=32), nullable=True),
        _instant("posted_at", True),
        _instant("ended_at", True),
        sa.Column("invitation_dirty", sa.Boolean(), nullable=False),
        _instant("invitation_updated_at", True),
        sa.Column("note", sa.Text(), nullable=True),
        _instant("created_at", False),
        _instant("due_at", False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        _instant("lease_until", True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_group_breaks_open_channel",
        "group_breaks",
        ["workspace_id", "channel_id"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )
    op.create_index("ix_group_breaks_due", "group_breaks", ["status", "due_at"])
    op.create_index(
        "ix_group_breaks_closing",
        "group_breaks",
        ["closes_at"],
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )
    op.create_table(
        "group_break_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_break_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        _instant("joined_at", False),
        _instant("done_at", True),
        sa.ForeignKeyConstraint(["group_break_id"], ["group_breaks.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_break_id", "person_id"),
    )


def downgrade() -> None:
    op.drop_table("group_break_participants")
    op.drop_table("group_breaks")
