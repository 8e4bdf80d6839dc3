"""send budgets shared by every instance

Revision ID: 0011
Revises: 0010

Each instance paced a workspace's sends on its own, so N instances sent N times the budget. One
row per workspace now holds the next free slot that every instance reserves from.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_budgets",
        sa.Column("workspace", sa.String(32), primary_key=True),
        sa.Column("next_free", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("send_budgets")
