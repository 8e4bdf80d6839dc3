"""workspace defaults chosen by an admin

Revision ID: 0020
Revises: 0017

A new table only: every person keeps their own settings, and a workspace without a row keeps the
environment's defaults.
"""

import sqlalchemy as sa
from alembic import op

from bot.db.types import UTCDateTime

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspace_defaults",
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        # Each weekday's windows, written as people.work_pattern is (migration 0012).
        sa.Column("work_pattern", sa.String(255), nullable=False),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(16), nullable=False),
        sa.Column("daily_nudge_cap", sa.Integer(), nullable=False),
        sa.Column("challenge_channels", sa.Text(), nullable=False, server_default=""),
        sa.Column("updated_by", sa.String(32), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("workspace_defaults")
