"""Migration 0012 turns each person's work days and one window into the equivalent work pattern:
their schedule — every slot — is what it was. Downgrading gives the old columns back."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bot.db.migrate import alembic_config, upgrade
from bot.db.models import Person
from bot.db.people import preferences_of, schedule_for
from bot.domain.schedule import WorkSchedule, slots_between, stable_offset_seconds
from bot.domain.work_pattern import WorkPattern
from tests.support.migrations import database_at

# (user, zone, work_days, start, end, interval, lunch): as the old columns held them.
OLD_PEOPLE = [
    ("U1", "Europe/Berlin", "0,1,2,3,4", 540, 1020, 60, None),
    ("U2", "Asia/Kathmandu", "0,2,5,6", 450, 945, 45, (675, 720)),
    ("U3", "Australia/Lord_Howe", "3", 1200, 1439, 120, None),
    ("U4", "America/Santiago", "0,1,2,3,4,5,6", 0, 90, 30, None),
]


def wall(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def old_schedule(zone, days, start, end, interval, lunch, user) -> WorkSchedule:
    """The schedule the app made from the old columns (the stable offset included)."""
    return WorkSchedule(
        zone,
        WorkPattern.every({int(day) for day in days.split(",")}, wall(start), wall(end)),
        interval,
        *(map(wall, lunch) if lunch else (None, None)),
        offset_seconds=stable_offset_seconds(f"1:{user}", interval),
    )


def test_every_person_keeps_their_slots_and_gets_the_columns_back(tmp_path: Path) -> None:
    url, engine = database_at("0011", tmp_path)
    with engine.begin() as connection:
        for user, zone, days, start, end, interval, lunch in OLD_PEOPLE:
            connection.execute(
                text(
                    "INSERT INTO people (workspace_id, slack_user_id, tz, place, created_at, "
                    "reminders_on, work_days, work_start, work_end, interval_minutes, "
                    "lunch_start, lunch_end, weekly_summary, status_text, status_emoji, "
                    "in_huddle) VALUES (1, :user, :zone, 'office', '2026-01-01 00:00:00', 1, "
                    ":days, :start, :end, :interval, :lunch_start, :lunch_end, 0, '', '', 0)"
                ),
                {
                    "user": user,
                    "zone": zone,
                    "days": days,
                    "start": start,
                    "end": end,
                    "interval": interval,
                    "lunch_start": lunch and lunch[0],
                    "lunch_end": lunch and lunch[1],
                },
            )
    upgrade(url)
    start = datetime(2026, 3, 1, tzinfo=UTC)  # a month with clock changes in every zone above
    with Session(engine) as session:
        people = {p.slack_user_id: p for p in session.scalars(select(Person))}
        assert people["U1"].work_pattern == ";".join(["09:00-17:00"] * 5 + ["", ""])
        for user, zone, days, first, last, interval, lunch in OLD_PEOPLE:
            before = old_schedule(zone, days, first, last, interval, lunch, user)
            after = schedule_for(people[user])
            assert after == before
            end = start + timedelta(days=45)
            assert list(slots_between(after, start, end)) == list(slots_between(before, start, end))
            assert preferences_of(people[user]).interval_minutes == interval
    command.downgrade(alembic_config(url), "0011")
    with engine.connect() as connection:
        back = connection.execute(
            text(
                "SELECT slack_user_id, work_days, work_start, work_end FROM people "
                "ORDER BY slack_user_id"
            )
        ).all()
    assert [tuple(row) for row in back] == [
        (user, days, first, last) for user, _, days, first, last, *_ in OLD_PEOPLE
    ]
    engine.dispose()


def test_a_week_that_had_no_hours_before_still_migrates(tmp_path: Path) -> None:
    """Rows written with the server defaults (never saved settings) get the default pattern."""
    url, engine = database_at("0011", tmp_path)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (workspace_id, slack_user_id, tz, place, created_at) "
                "VALUES (1, 'U9', 'UTC', 'office', '2026-01-01 00:00:00')"
            )
        )
    upgrade(url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT work_pattern FROM people")).scalar_one()
    assert stored == ";".join(["09:00-17:00"] * 5 + ["", ""])
    engine.dispose()
