"""Migration 0015 gives completions a `what` (a self-reported break's words) and keeps every
existing completion as it was; downgrading takes the column away again."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from bot.db.migrate import alembic_config, upgrade
from tests.support.migrations import database_at


def test_existing_completions_stay_as_they_were(tmp_path: Path) -> None:
    url, engine = database_at("0011", tmp_path)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id, workspace_id, slack_user_id, tz, place, created_at, "
                "reminders_on, work_days, work_start, work_end, interval_minutes, "
                "weekly_summary, status_text, status_emoji, in_huddle) "
                "VALUES (1, 1, 'U1', 'Europe/Berlin', 'home', '2026-01-01 00:00:00', 1, "
                "'0,1,2', 480, 960, 45, 1, '', '', 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO completions (id, person_id, exercise_id, source, completed_at, "
                "dedupe_key) VALUES (1, 1, 'prone-body-lift', 'nudge', "
                "'2026-01-02 10:00:00', 'nudge:nudge-4:1')"
            )
        )
    upgrade(url, "0015")
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT exercise_id, source, dedupe_key, what FROM completions")
        ).one()
        me = connection.execute(
            text("SELECT place, work_days, interval_minutes, reminders_on FROM people")
        ).one()
    assert tuple(row) == ("prone-body-lift", "nudge", "nudge:nudge-4:1", None)
    assert tuple(me) == ("home", "0,1,2", 45, 1)
    command.downgrade(alembic_config(url), "0011")
    with engine.connect() as connection:
        columns = [r[1] for r in connection.execute(text("PRAGMA table_info(completions)"))]
    assert "what" not in columns and "dedupe_key" in columns
    engine.dispose()
