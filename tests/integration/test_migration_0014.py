"""Migration 0014 gives everyone no restrictions and no feedback: existing people keep being
offered everything, with every setting they had."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from bot.db.migrate import alembic_config, upgrade
from tests.support.migrations import database_at

SETTINGS = (
    "slack_user_id, tz, place, created_at, reminders_on, work_pattern, "
    "interval_minutes, lunch_start, lunch_end, tz_override, weekly_summary"
)


def test_existing_people_keep_their_settings_and_get_no_restrictions(tmp_path: Path) -> None:
    url, engine = database_at("0016", tmp_path)
    with engine.begin() as connection:
        connection.execute(
            text(
                f"INSERT INTO people (id, workspace_id, {SETTINGS}) VALUES "
                "(1, 1, 'U1', 'Asia/Kathmandu', 'home', '2026-01-01 00:00:00', 1, "
                "'08:00-16:00;;08:00-16:00;;08:00-16:00;;', 45, 720, 780, 'Europe/Berlin', 1)"
            )
        )
    with engine.connect() as connection:
        before = connection.execute(text(f"SELECT {SETTINGS} FROM people")).one()
    upgrade(url, "0014")
    with engine.connect() as connection:
        after = connection.execute(text(f"SELECT {SETTINGS}, fit_restrictions FROM people")).one()
        assert connection.execute(text("SELECT count(*) FROM activity_feedback")).scalar() == 0
    assert tuple(after[:-1]) == tuple(before)
    assert after[-1] == ""
    command.downgrade(alembic_config(url), "0016")
    assert "activity_feedback" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert tuple(connection.execute(text(f"SELECT {SETTINGS} FROM people")).one()) == tuple(
            before
        )
    engine.dispose()
