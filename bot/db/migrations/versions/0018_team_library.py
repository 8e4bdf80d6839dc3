"""a workspace's own exercises

Revision ID: 0018
Revises: 0011

Workspaces get their own exercises (`team_exercises`), may hide seed exercises
(`hidden_seed_exercises`), may let everyone add exercises, and count library changes. Existing
workspaces keep everything; their flag starts off and their library as the seed.
"""

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision = "0018"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(
            sa.Column(
                "everyone_may_add_exercises", sa.Boolean(), nullable=False, server_default="0"
            )
        )
        batch.add_column(
            sa.Column("library_version", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "team_exercises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("author_user_id", sa.String(length=32), nullable=True),
        sa.Column("from_physio", sa.Boolean(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("created_by_view", sa.String(length=64), nullable=True),
        sa.Column("created_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "exercise_id"),
        sa.UniqueConstraint("workspace_id", "created_by_view"),
    )
    op.create_table(
        "hidden_seed_exercises",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workspace_id", "exercise_id"),
    )


def downgrade() -> None:
    op.drop_table("hidden_seed_exercises")
    op.drop_table("team_exercises")
    # Not in batch mode: on SQLite that copies the table and drops the old one, and with
    # foreign keys on, dropping `workspaces` would delete every person with it.
    op.drop_column("workspaces", "library_version")
    op.drop_column("workspaces", "everyone_may_add_exercises")
