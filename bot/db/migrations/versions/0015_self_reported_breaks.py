"""what a self-reported break was

Revision ID: 0015
Revises: 0011

A break taken without the bot (`/stretch did a walk`, a nudge's "I moved anyway") is a completion
whose source is "self"; `what` keeps the person's words. NULL for every other completion, so
existing rows stay as they were.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("completions") as batch:
        batch.add_column(sa.Column("what", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("completions") as batch:
        batch.drop_column("what")
