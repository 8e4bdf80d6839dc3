"""Migration 0013 adds time off and public-holiday regions, keeping every person's settings."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from bot.db.migrate import alembic_config, upgrade
from tests.support.migrations import database_at

SETTINGS = (
    "slack_user_id, tz, place, reminders_on, work_pattern, interval_minutes, "
    "lunch_start, lunch_end, tz_override, weekly_summary, next_nudge_at"
)


def test_people_keep_their_settings_and_start_with_no_days_off(tmp_path: Path) -> None:
    url, engine = database_at("0014", tmp_path)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (workspace_id, slack_user_id, tz, place, created_at, "
                "reminders_on, work_pattern, interval_minutes, lunch_start, "
                "lunch_end, tz_override, weekly_summary, next_nudge_at) VALUES "
                "(1, 'U1', 'Asia/Kathmandu', 'home', '2026-01-01 00:00:00', 1, "
                "'08:00-16:00;;08:00-16:00;;08:00-16:00;;', 45, 720, 780, 'Europe/Berlin', 1, "
                "'2026-11-24 10:00:00')"
            )
        )
        before = connection.execute(text(f"SELECT {SETTINGS} FROM people")).one()
    upgrade(url, "0013")
    with engine.begin() as connection:
        assert connection.execute(text(f"SELECT {SETTINGS} FROM people")).one() == before
        regions = connection.execute(
            text("SELECT holiday_country, holiday_subdivision FROM people")
        ).one()
        assert tuple(regions) == (None, None)
        assert connection.execute(text("SELECT holiday_country FROM workspaces")).scalar() is None
        connection.execute(
            text(
                "INSERT INTO time_off (person_id, first_day, last_day, created_at) "
                "VALUES (1, '2026-12-24', '2027-01-02', '2026-11-24 10:00:00')"
            )
        )
    assert "time_off" in inspect(engine).get_table_names()
    command.downgrade(alembic_config(url), "0014")
    with engine.connect() as connection:
        assert connection.execute(text(f"SELECT {SETTINGS} FROM people")).one() == before
    assert "time_off" not in inspect(engine).get_table_names()
    engine.dispose()
