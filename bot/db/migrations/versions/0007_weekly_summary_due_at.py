"""weekly summary due at

Revision ID: 0007
Revises: 0006

The weekly-summary tick step read every opted-in person on every tick to work out who was due
(found by bench/tick_scale). `people.weekly_summary_due_at`, indexed, says when each person's
next summary is due. Existing opted-in people get "now": the first tick looks at each of them
once, sends only a summary that is actually due (and not yet sent), and sets the real time.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "weekly_summary_due_at", bot.db.types.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index(
            batch_op.f("ix_people_weekly_summary_due_at"), ["weekly_summary_due_at"], unique=False
        )
    people = sa.table(
        "people",
        sa.column("weekly_summary", sa.Boolean()),
        sa.column("weekly_summary_due_at", bot.db.types.UTCDateTime(timezone=True)),
    )
    op.execute(
        people.update()
        .where(people.c.weekly_summary.is_(True))
        .values(weekly_summary_due_at=datetime.now(UTC))
    )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_weekly_summary_due_at"))
        batch_op.drop_column("weekly_summary_due_at")
