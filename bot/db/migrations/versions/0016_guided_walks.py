"""guided walk-throughs

Revision ID: 0016
Revises: 0011

One row per person and card they are being guided through: the generation that lets a click in
any process cancel an automatic advance pending in another. Nothing existing changes.
"""

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision = "0016"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guided_walks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("card", sa.String(80), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("updated_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("person_id", "card"),
    )


def downgrade() -> None:
    op.drop_table("guided_walks")
