"""Migration 0017 merges the person rows the old keying made for one Enterprise Grid user (one
per workspace row with and without the org, one per workspace of the org) into the most recently
active one, keeping every Done; people outside Grid are left as they were."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.db.migrate import upgrade
from bot.db.models import Person
from bot.db.people import find_person
from bot.domain.people import SlackUser
from tests.support.migrations import database_at

# Workspace 1 (T1 without its org) comes from `database_at`.
WORKSPACES = [(2, "T1", "E1"), (3, "T2", "E1"), (4, "T9", "")]
# id, workspace, user, interval (a setting), created
PEOPLE = [
    (1, 2, "W1", 30, "2026-01-01 00:00:00"),  # by commands: (E1, T1)
    (2, 1, "W1", 90, "2026-01-05 00:00:00"),  # by an event: (no org, T1) — the last Done is here
    (3, 3, "W1", 45, "2026-01-02 00:00:00"),  # from the org's other workspace
    (4, 4, "W1", 60, "2026-01-03 00:00:00"),  # the same id in a workspace outside Grid
    (5, 1, "W5", 120, "2026-01-04 00:00:00"),  # only ever seen without the org
]
DONES = [
    (1, 1, "2026-02-01 09:00:00"),
    (2, 2, "2026-03-01 09:00:00"),
    (3, 4, "2026-02-02 09:00:00"),
]
# id, person, slot, status
NUDGES = [
    (1, 1, "2026-02-01 09:00:00", "sent"),  # the same slot as nudge 2: the kept row's stays
    (2, 2, "2026-02-01 09:00:00", "sent"),
    (3, 1, "2026-02-02 10:00:00", "sent"),  # history: moves
    (4, 3, "2026-03-02 10:00:00", "pending"),  # planned by settings no longer kept: dropped
]


def old_database(tmp_path: Path):
    url, engine = database_at("0013", tmp_path)
    with engine.begin() as connection:
        for ws, team, org in WORKSPACES:
            connection.execute(
                text(
                    "INSERT INTO workspaces (id, team_id, enterprise_id, created_at, active) "
                    "VALUES (:ws, :team, :org, '2026-01-01 00:00:00', 1)"
                ),
                {"ws": ws, "team": team, "org": org},
            )
        for person, ws, user, interval, created in PEOPLE:
            connection.execute(
                text(
                    "INSERT INTO people (id, workspace_id, slack_user_id, tz, place, created_at, "
                    "interval_minutes) VALUES (:p, :ws, :user, 'UTC', 'office', :created, :i)"
                ),
                {"p": person, "ws": ws, "user": user, "created": created, "i": interval},
            )
        for done, person, at in DONES:
            connection.execute(
                text(
                    "INSERT INTO completions (id, person_id, exercise_id, source, completed_at, "
                    "dedupe_key) VALUES (:id, :p, 'chin-tucks', 'command', :at, :key)"
                ),
                {"id": done, "p": person, "at": at, "key": f"command:c{done}:{person}"},
            )
        for nudge, person, slot, status in NUDGES:
            connection.execute(
                text(
                    "INSERT INTO nudges (id, person_id, slot_at, due_at, kind, status, attempts, "
                    "backoff_notice, created_at) VALUES (:id, :p, :slot, :slot, 'scheduled', "
                    ":status, 0, 0, :slot)"
                ),
                {"id": nudge, "p": person, "slot": slot, "status": status},
            )
        connection.execute(
            text(
                "INSERT INTO challenges (id, workspace_id, channel_id, started_by, tz, "
                "post_minute, status, leaderboard_dirty, created_at) "
                "VALUES (1, 1, 'C1', 'W1', 'UTC', 660, 'active', 0, '2026-01-01 00:00:00')"
            )
        )
        for member, person in ((1, 1), (2, 2), (3, 3)):
            connection.execute(
                text(
                    "INSERT INTO challenge_members (id, challenge_id, person_id, active, "
                    "joined_at) VALUES (:id, 1, :p, 1, '2026-01-01 00:00:00')"
                ),
                {"id": member, "p": person},
            )
    return url, engine


def test_one_row_per_grid_user_with_every_done_and_the_latest_settings(tmp_path: Path) -> None:
    url, engine = old_database(tmp_path)
    upgrade(url, "0017")
    with engine.connect() as connection:
        people = connection.execute(
            text("SELECT id, workspace_id, slack_user_id, interval_minutes FROM people ORDER BY id")
        ).all()
        dones = connection.execute(text("SELECT id, person_id FROM completions ORDER BY id")).all()
        nudges = connection.execute(text("SELECT id, person_id FROM nudges ORDER BY id")).all()
        members = connection.execute(text("SELECT person_id FROM challenge_members")).all()
        challenge = connection.execute(text("SELECT workspace_id FROM challenges")).scalar()
    # W1 of org E1 is one row: the most recently active (person 2), its settings, in (E1, T1);
    # W1 outside Grid and W5 keep theirs, W5 now in the workspace row with the org.
    assert [tuple(row) for row in people] == [(2, 2, "W1", 90), (4, 4, "W1", 60), (5, 2, "W5", 120)]
    assert [tuple(row) for row in dones] == [(1, 2), (2, 2), (3, 4)]
    assert [tuple(row) for row in nudges] == [(2, 2), (3, 2)]
    assert [tuple(row) for row in members] == [(2,)]
    assert challenge == 2  # the challenge moved to the workspace row with the org

    upgrade(url)  # the app's queries read today's schema
    with Session(engine) as session:
        for team in ("T1", "T2"):  # either workspace of the org finds the one person
            person = find_person(session, SlackUser(team, "W1", "E1"))
            assert person is not None and person.id == 2
        assert find_person(session, SlackUser("T9", "W1")).id == 4
        assert find_person(session, SlackUser("T1", "W5", "E1")).id == 5
        assert session.get(Person, 1) is None
    engine.dispose()


def test_people_outside_grid_are_untouched(tmp_path: Path) -> None:
    url, engine = database_at("0013", tmp_path)
    with engine.begin() as connection:
        for person, user in ((1, "U1"), (2, "U2")):
            connection.execute(
                text(
                    "INSERT INTO people (id, workspace_id, slack_user_id, tz, place, created_at, "
                    "interval_minutes) VALUES (:p, 1, :u, 'Europe/Berlin', 'home', "
                    "'2026-01-01 00:00:00', 45)"
                ),
                {"p": person, "u": user},
            )
        before = connection.execute(text("SELECT * FROM people ORDER BY id")).all()
    upgrade(url, "0017")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT * FROM people ORDER BY id")).all() == before
    engine.dispose()
