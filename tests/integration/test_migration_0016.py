"""Migration 0016 adds guided walk-throughs and leaves every person's settings as they were."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from bot.db.migrate import alembic_config, upgrade
from tests.support.migrations import database_at

PERSON = (
    "SELECT slack_user_id, tz, place, reminders_on, work_pattern, "
    "interval_minutes, lunch_start, lunch_end, weekly_summary FROM people"
)


def test_people_keep_their_settings_up_and_down(tmp_path: Path) -> None:
    url, engine = database_at("0012", tmp_path)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id, workspace_id, slack_user_id, tz, place, created_at, "
                "reminders_on, work_pattern, interval_minutes, lunch_start, lunch_end, "
                "weekly_summary) VALUES (1, 1, 'U1', 'Asia/Kathmandu', 'home', "
                "'2026-01-01 00:00:00', 1, '07:00-15:00;;07:00-15:00;;07:00-15:00;;', 45, 720, "
                "780, 1)"
            )
        )
        before = connection.execute(text(PERSON)).all()
    upgrade(url, "0016")
    with engine.begin() as connection:
        assert connection.execute(text(PERSON)).all() == before
        connection.execute(
            text(
                "INSERT INTO guided_walks (person_id, card, generation, updated_at) "
                "VALUES (1, 'c1', 1, '2026-01-01 00:00:00')"
            )
        )
    command.downgrade(alembic_config(url), "0012")
    assert "guided_walks" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text(PERSON)).all() == before
    engine.dispose()
