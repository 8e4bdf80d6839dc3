"""Migration 0018 adds the team library: existing workspaces and people keep everything, their
library starts as the seed (version 0, adding for admins only), and the downgrade drops it."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from bot.db.migrate import alembic_config, upgrade
from tests.support.migrations import database_at

# Monday, Wednesday and Friday, 08:00-16:00: 0017's way of storing work days and hours.
PATTERN = "08:00-16:00;;08:00-16:00;;08:00-16:00;;"


def test_workspaces_and_people_are_kept_and_start_with_the_seed_library(tmp_path: Path) -> None:
    url, engine = database_at("0020", tmp_path)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id, workspace_id, slack_user_id, tz, place, created_at, "
                "reminders_on, work_pattern, interval_minutes) "
                "VALUES (1, 1, 'U1', 'Asia/Kathmandu', 'home', '2026-01-01 00:00:00', 1, "
                f"'{PATTERN}', 45)"
            )
        )
    upgrade(url, "0018")
    with engine.connect() as connection:
        workspace = connection.execute(
            text(
                "SELECT team_id, active, everyone_may_add_exercises, library_version "
                "FROM workspaces"
            )
        ).one()
        person = connection.execute(
            text("SELECT tz, place, reminders_on, work_pattern, interval_minutes FROM people")
        ).one()
    assert tuple(workspace) == ("T1", 1, 0, 0)
    assert tuple(person) == ("Asia/Kathmandu", "home", 1, PATTERN, 45)
    assert {"team_exercises", "hidden_seed_exercises"} <= set(inspect(engine).get_table_names())

    command.downgrade(alembic_config(url), "0020")
    engine.dispose()
    tables = set(inspect(engine).get_table_names())
    assert "team_exercises" not in tables
    with engine.connect() as connection:
        assert connection.execute(text("SELECT team_id FROM workspaces")).scalar() == "T1"
        assert connection.execute(text("SELECT place FROM people")).scalar() == "home"
    engine.dispose()
