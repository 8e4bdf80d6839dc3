"""Migration 0020 adds the workspace defaults table and leaves every person as they were; a
workspace without a row keeps the environment's defaults. Downgrading drops the table only."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from bot.db.migrate import alembic_config, upgrade
from tests.support.migrations import database_at


def test_people_keep_their_settings_and_no_workspace_has_defaults(tmp_path: Path) -> None:
    url, engine = database_at("0019", tmp_path)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id, workspace_id, slack_user_id, tz, place, created_at, "
                "reminders_on, work_pattern, interval_minutes, "
                "weekly_summary, status_text, status_emoji, in_huddle) "
                "VALUES (1, 1, 'U1', 'Europe/Berlin', 'home', '2026-01-01 00:00:00', 1, "
                "'08:00-16:00;08:00-12:00,13:00-17:00;;;;;', 45, 1, '', '', 0)"
            )
        )
    upgrade(url, "0020")
    with engine.connect() as connection:
        me = connection.execute(
            text("SELECT place, work_pattern, interval_minutes, reminders_on FROM people")
        ).one()
        defaults = connection.execute(text("SELECT count(*) FROM workspace_defaults")).scalar()
    assert tuple(me) == ("home", "08:00-16:00;08:00-12:00,13:00-17:00;;;;;", 45, 1)
    assert defaults == 0
    command.downgrade(alembic_config(url), "0019")
    assert "workspace_defaults" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT interval_minutes FROM people")).scalar() == 45
    engine.dispose()
