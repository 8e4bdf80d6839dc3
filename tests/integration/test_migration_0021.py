"""Migration 0021 adds the languages: every person keeps everything and follows Slack (no
choice, no locale yet), running challenges and workspace defaults keep theirs and speak the
workspace default; the downgrade drops the columns only."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from bot.db.migrate import alembic_config, upgrade
from tests.support.migrations import database_at


def _columns(engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def test_people_challenges_and_defaults_are_kept_without_a_language(tmp_path: Path) -> None:
    url, engine = database_at("0018", tmp_path)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id, workspace_id, slack_user_id, tz, place, created_at, "
                "reminders_on, interval_minutes) "
                "VALUES (1, 1, 'U1', 'Europe/Madrid', 'home', '2026-01-01 00:00:00', 1, 45)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO challenges (id, workspace_id, channel_id, started_by, tz, "
                "post_minute, status, leaderboard_dirty, created_at) "
                "VALUES (1, 1, 'C1', 'U1', 'Europe/Madrid', 660, 'active', 0, "
                "'2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO workspace_defaults (workspace_id, work_pattern, interval_minutes, "
                "place, daily_nudge_cap, updated_by, updated_at) "
                "VALUES (1, '09:00-17:00;;;;;;', 30, 'office', 8, 'U1', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO completions (id, person_id, exercise_id, source, completed_at, "
                "dedupe_key) VALUES (1, 1, 'seated-lumbar-stretch', 'command', "
                "'2026-01-02 10:00:00', 'card-1')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO challenge_members (id, challenge_id, person_id, active, joined_at) "
                "VALUES (1, 1, 1, 1, '2026-01-01 00:00:00')"
            )
        )
    upgrade(url, "0021")
    with engine.connect() as connection:
        me = connection.execute(
            text("SELECT tz, place, interval_minutes, slack_locale, language FROM people")
        ).one()
        challenge = connection.execute(text("SELECT status, language FROM challenges")).one()
        defaults = connection.execute(
            text("SELECT interval_minutes, language FROM workspace_defaults")
        ).one()
    assert tuple(me) == ("Europe/Madrid", "home", 45, None, None)
    assert tuple(challenge) == ("active", None)
    assert tuple(defaults) == (30, None)
    assert "language" in _columns(engine, "group_breaks")

    command.downgrade(alembic_config(url), "0018")
    assert not {"slack_locale", "language"} & _columns(engine, "people")
    for table in ("challenges", "group_breaks", "workspace_defaults"):
        assert "language" not in _columns(engine, table)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT interval_minutes FROM people")).scalar() == 45
        assert connection.execute(text("SELECT status FROM challenges")).scalar() == "active"
        # Rebuilding `people` and `challenges` to drop a column took none of their rows' children.
        assert connection.execute(text("SELECT count(*) FROM completions")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM challenge_members")).scalar() == 1
        # One active challenge per channel, still: the partial unique index came back whole.
        index = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'uq_challenges_active_channel'")
        ).scalar()
    assert index is not None and "WHERE" in index.upper()
    engine.dispose()
