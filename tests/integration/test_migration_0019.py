"""Migration 0019 adds the group break tables and leaves everyone's data as it was; its partial
unique index allows one open group break per channel."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bot.db.migrate import alembic_config, upgrade
from tests.support.migrations import database_at

PERSON = (
    "INSERT INTO people (id, workspace_id, slack_user_id, tz, place, created_at, reminders_on, "
    "work_pattern, interval_minutes, tz_override, weekly_summary) "
    "VALUES (1, 1, 'U1', 'Europe/Berlin', 'home', '2026-01-01 00:00:00', 1, "
    "'08:00-16:00;;08:00-16:00;;08:00-16:00;;', 90, 'Asia/Kathmandu', 1)"
)
SETTINGS = (
    "SELECT slack_user_id, tz, place, reminders_on, work_pattern, interval_minutes, "
    "tz_override, weekly_summary FROM people"
)
GROUP_BREAK = (
    "INSERT INTO group_breaks (workspace_id, channel_id, started_by, exercise_id, starts_at, "
    "closes_at, invitation_dirty, created_at, due_at, status, attempts, ended_at) VALUES "
    "(1, 'C1', 'U1', 'seated-lumbar-stretch', '2026-01-01 10:02:00', '2026-01-01 10:07:00', 0, "
    "'2026-01-01 10:00:00', '2026-01-01 10:02:00', 'pending', 0, :ended_at)"
)


def test_people_and_their_settings_stay_and_one_open_group_break_per_channel(
    tmp_path: Path,
) -> None:
    url, engine = database_at("0017", tmp_path)
    with engine.begin() as connection:
        connection.execute(text(PERSON))
        connection.execute(
            text(
                "INSERT INTO completions (person_id, exercise_id, source, completed_at, "
                "dedupe_key) VALUES (1, 'prone-body-lift', 'command', '2026-01-01 09:00:00', "
                "'command:c1:1')"
            )
        )
        before = connection.execute(text(SETTINGS)).all()
    upgrade(url, "0019")
    with engine.begin() as connection:
        assert connection.execute(text(SETTINGS)).all() == before
        assert connection.execute(text("SELECT count(*) FROM completions")).scalar() == 1
        connection.execute(text(GROUP_BREAK), {"ended_at": "2026-01-01 09:00:00"})  # an old one
        connection.execute(text(GROUP_BREAK), {"ended_at": None})
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(GROUP_BREAK), {"ended_at": None})  # a second open one
    command.downgrade(alembic_config(url), "0017")
    assert "group_breaks" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text(SETTINGS)).all() == before
    engine.dispose()
