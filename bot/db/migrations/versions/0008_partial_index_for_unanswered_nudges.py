"""partial index for unanswered nudges

Revision ID: 0008
Revises: 0007

Planning marks a person's sent, unanswered nudges as ignored before each new one. Found through
the (person_id, slot_at) index, that reads the person's whole history every time; the sent
nudges still waiting for an answer are at most a few per person, so they get an index of their
own.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UNANSWERED = sa.text("status = 'sent' AND outcome IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_nudges_unanswered",
        "nudges",
        ["person_id"],
        sqlite_where=UNANSWERED,
        postgresql_where=UNANSWERED,
    )


def downgrade() -> None:
    op.drop_index("ix_nudges_unanswered", table_name="nudges")
