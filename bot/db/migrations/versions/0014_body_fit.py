"""what suits each person's body: restrictions and per-activity feedback

Revision ID: 0014
Revises: 0015

`people.fit_restrictions` starts empty for everyone, which means no restrictions: existing
people keep being offered everything, as before. `activity_feedback` holds Not for me and
More like this, one row per person and exercise or tip.
"""

import sqlalchemy as sa
from alembic import op

from bot.db.types import UTCDateTime

revision = "0014"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("fit_restrictions", sa.String(160), nullable=False, server_default="")
        )
    op.create_table(
        "activity_feedback",
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("activity_id", sa.String(64), primary_key=True),
        sa.Column("hidden", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("liked", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("activity_feedback")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("fit_restrictions")
