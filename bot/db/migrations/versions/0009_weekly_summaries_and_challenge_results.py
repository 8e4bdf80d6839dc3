"""weekly summaries and challenge results as claimed rows

Revision ID: 0009
Revises: 0008

A weekly summary was claimed by moving the person's due time on before posting, so a crash in
between skipped the week; a challenge's results were posted after the challenge was marked
ended, so a crash in between lost them. Both become rows claimed with a lease and sent the way
nudges and challenge days are. The results' `ts` moves from `challenges` to its row; results
already posted are copied over as posted.
"""

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _send_state() -> list[sa.Column]:
    """The columns every claimed row has (see bot.db.leases)."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("due_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("lease_until", bot.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    ]


def upgrade() -> None:
    op.create_table(
        "challenge_results",
        *_send_state(),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("posted_at", bot.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["challenge_id"], ["challenges.id"], ondelete="CASCADE"),
        sa.UniqueConstraint("challenge_id"),
    )
    op.create_index("ix_challenge_results_due", "challenge_results", ["status", "due_at"])
    op.create_table(
        "weekly_summaries",
        *_send_state(),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("sent_at", bot.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.UniqueConstraint("person_id", "week"),
    )
    op.create_index("ix_weekly_summaries_due", "weekly_summaries", ["status", "due_at"])
    op.execute(
        "INSERT INTO challenge_results"
        " (challenge_id, due_at, status, attempts, ts, posted_at, created_at)"
        " SELECT id, ended_at, CASE WHEN results_ts IS NULL THEN 'failed' ELSE 'posted' END,"
        " 1, results_ts, ended_at, ended_at"
        " FROM challenges WHERE status = 'ended' AND ended_at IS NOT NULL"
    )
    # Not in batch mode: on SQLite that copies the table and drops the old one, and the drop
    # would cascade to the rows just copied into challenge_results. SQLite 3.35+ drops a column
    # in place.
    op.drop_column("challenges", "results_ts")


def downgrade() -> None:
    with op.batch_alter_table("challenges") as batch_op:
        batch_op.add_column(sa.Column("results_ts", sa.String(length=32), nullable=True))
    op.execute(
        "UPDATE challenges SET results_ts = (SELECT ts FROM challenge_results"
        " WHERE challenge_results.challenge_id = challenges.id)"
    )
    op.drop_table("weekly_summaries")
    op.drop_table("challenge_results")
