"""partial index for open nudges

Revision ID: 0006
Revises: 0005

`ix_nudges_due (status, due_at)` let SQLite answer per-person updates of sent nudges by
scanning every sent nudge (found by bench/tick_scale). Claims only ever look at pending and
sending nudges, so the index now covers just those.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('pending', 'sending')")


def upgrade() -> None:
    op.drop_index("ix_nudges_due", table_name="nudges")
    op.create_index(
        "ix_nudges_open_due", "nudges", ["due_at"], sqlite_where=OPEN, postgresql_where=OPEN
    )


def downgrade() -> None:
    op.drop_index("ix_nudges_open_due", table_name="nudges")
    op.create_index("ix_nudges_due", "nudges", ["status", "due_at"])
