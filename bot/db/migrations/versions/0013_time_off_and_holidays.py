"""time off and public holidays

Revision ID: 0013
Revises: 0011

A table of planned time off (local dates per person), and the public-holiday region of each
person (None: the workspace default) and of each workspace. Existing rows keep every value they
had; the new columns start empty, so nobody's schedule changes until they choose.
"""

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision = "0013"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "time_off",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("created_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("person_id", "first_day", "last_day"),
    )
    op.create_index("ix_time_off_person_last_day", "time_off", ["person_id", "last_day"])
    for table in ("people", "workspaces"):
        op.add_column(table, sa.Column("holiday_country", sa.String(8), nullable=True))
        op.add_column(table, sa.Column("holiday_subdivision", sa.String(16), nullable=True))


def downgrade() -> None:
    # In place (SQLite ≥ 3.35 drops columns itself): a batch would copy and drop `workspaces`,
    # and dropping it cascades to everyone's rows.
    for table in ("workspaces", "people"):
        op.drop_column(table, "holiday_subdivision")
        op.drop_column(table, "holiday_country")
    op.drop_index("ix_time_off_person_last_day", table_name="time_off")
    op.drop_table("time_off")
