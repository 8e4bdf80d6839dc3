"""completion keys hold the person

Revision ID: 0010
Revises: 0009

A Done's dedupe key was `source:card`, unique across everyone: a nudge's Done replayed by someone
else (the button value is no secret) counted for them, and the owner's own Done afterwards was
ignored as a repeat. Keys are now `source:card:person_id`, as challenge Dones already were; the
existing command and nudge keys get their person appended, so a card already done stays done for
the person who did it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PERSONAL = "source IN ('command', 'nudge')"  # challenge keys hold the person already
SUFFIX = "':' || CAST(person_id AS VARCHAR(12))"


def upgrade() -> None:
    op.execute(
        sa.text(f"UPDATE completions SET dedupe_key = dedupe_key || {SUFFIX} WHERE {PERSONAL}")
    )


def downgrade() -> None:
    """Back to one key per card: where several people did one card, the first Done stays."""
    op.execute(
        sa.text(
            "DELETE FROM completions WHERE "
            f"{PERSONAL} AND id NOT IN (SELECT MIN(id) FROM completions WHERE {PERSONAL} "
            f"GROUP BY substr(dedupe_key, 1, length(dedupe_key) - length({SUFFIX})))"
        )
    )
    op.execute(
        sa.text(
            "UPDATE completions SET dedupe_key = "
            f"substr(dedupe_key, 1, length(dedupe_key) - length({SUFFIX})) WHERE {PERSONAL}"
        )
    )
