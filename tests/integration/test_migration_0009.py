"""Migration 0009 moves a challenge's results `ts` to its `challenge_results` row, and back."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from bot.db.migrate import alembic_config, upgrade
from tests.support.migrations import database_at


def test_posted_results_become_posted_rows_and_come_back_on_downgrade(tmp_path: Path) -> None:
    url, engine = database_at("0008", tmp_path)
    with engine.begin() as connection:
        for challenge_id, ts in ((1, "123.4"), (2, None)):  # 2: results could not be posted
            connection.execute(
                text(
                    "INSERT INTO challenges (id, workspace_id, channel_id, started_by, tz, "
                    "post_minute, status, leaderboard_dirty, results_ts, created_at, ended_at) "
                    "VALUES (:id, 1, 'C' || :id, 'U1', 'UTC', 600, 'ended', 0, :ts, "
                    "'2026-01-01 00:00:00', '2026-01-02 00:00:00')"
                ),
                {"id": challenge_id, "ts": ts},
            )
    upgrade(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT challenge_id, status, ts FROM challenge_results ORDER BY challenge_id")
        ).all()
    assert [tuple(row) for row in rows] == [(1, "posted", "123.4"), (2, "failed", None)]
    command.downgrade(alembic_config(url), "0008")
    with engine.connect() as connection:
        back = connection.execute(text("SELECT id, results_ts FROM challenges ORDER BY id")).all()
    assert [tuple(row) for row in back] == [(1, "123.4"), (2, None)]
    engine.dispose()
