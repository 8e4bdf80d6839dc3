"""Claiming due nudges: never more than asked for, each row to one claimer, and what is not
due (or claimed by someone else with a live lease) is left alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text

from bot.db.engine import make_engine, make_session_factory
from bot.db.leases import LEASE, claim
from bot.db.models import Nudge, Person, Workspace

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def add_people(sessions, count: int) -> list[int]:
    with sessions.begin() as session:
        workspace = session.execute(
            insert(Workspace).values(team_id="T1", created_at=NOW).returning(Workspace.id)
        ).scalar_one()
        return list(
            session.scalars(
                insert(Person).returning(Person.id),
                [
                    {"workspace_id": workspace, "slack_user_id": f"U{i}", "created_at": NOW}
                    for i in range(count)
                ],
            )
        )


def add_nudges(sessions, people: list[int], slot: datetime, status: str, due: int) -> None:
    """One nudge per person at `slot`; of those `pending`, the first `due` are due now."""
    with sessions.begin() as session:
        session.execute(
            insert(Nudge),
            [
                {
                    "person_id": person,
                    "slot_at": slot,
                    "due_at": NOW - timedelta(minutes=1) if i < due else NOW + timedelta(hours=1),
                    "kind": "scheduled",
                    "exercise_id": "seated-lumbar-stretch",
                    "status": status,
                    "attempts": 0,
                    "created_at": NOW,
                }
                for i, person in enumerate(people)
            ],
        )


def test_a_claim_takes_at_most_the_limit_and_each_row_once(database_url):
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    people = add_people(sessions, 350)
    for days_ago in range(1, 4):
        add_nudges(sessions, people, NOW - timedelta(days=days_ago), "sent", due=0)
    with engine.begin() as connection:
        # Statistics taken while nothing was open, then a fan-out: the planner expects a claim
        # to find a row or two (the case that made PostgreSQL claim everything at once).
        connection.execute(text("ANALYZE"))
    add_nudges(sessions, people, NOW, "pending", due=300)
    claimed: list[int] = []
    for instance in ("a", "b", "a"):
        with sessions.begin() as session:
            batch = claim(session, Nudge, instance, NOW, 20)
        assert len(batch) == 20
        claimed += batch
    assert len(set(claimed)) == 60
    with sessions() as session:
        by_status = dict(
            session.execute(select(Nudge.status, func.count()).group_by(Nudge.status)).all()
        )
        assert by_status == {"sending": 60, "pending": 290, "sent": 1050}
        leases = set(session.scalars(select(Nudge.lease_until).where(Nudge.status == "sending")))
        assert leases == {NOW + LEASE}
    with sessions.begin() as session:  # live leases are not taken over
        assert len(claim(session, Nudge, "c", NOW + LEASE / 2, 1000)) == 240
    with sessions.begin() as session:
        assert claim(session, Nudge, "c", NOW + LEASE / 2, 1000) == []
    engine.dispose()
