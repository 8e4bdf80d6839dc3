"""Find or create the workspace and person behind a Slack request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.availability import apply_dnd, apply_user
from bot.db.models import Person, Workspace
from bot.db.people import plan_weekly_summary, preference_columns, replan
from bot.db.writes import insert_if_absent
from bot.domain.clock import Clock
from bot.domain.preferences import Preferences
from bot.domain.zones import valid_zone


@dataclass(frozen=True)
class SlackUser:
    """Who a request came from: the workspace (and Grid org) and the user id within it."""

    team_id: str
    user_id: str
    enterprise_id: str = ""


class SlackProfile(Protocol):
    """What Slack says about one person; each call may hit the Web API, so call it when needed.
    Both return None when Slack refuses."""

    def user(self) -> dict[str, Any] | None: ...

    def dnd(self) -> dict[str, Any] | None: ...


def find_person(session: Session, who: SlackUser) -> Person | None:
    return session.scalar(
        select(Person)
        .join(Workspace)
        .where(
            Workspace.team_id == who.team_id,
            Workspace.enterprise_id == who.enterprise_id,
            Person.slack_user_id == who.user_id,
        )
    )


def ensure_person(
    session: Session, who: SlackUser, now: datetime, profile: SlackProfile, defaults: Preferences
) -> Person:
    """The person's row, created on first contact with the time zone from their Slack profile
    and the workspace's default preferences.

    Safe when two requests race to create the same person: both inserts ignore conflicts.
    """
    person = find_person(session, who)
    if person is not None:
        return person
    insert_if_absent(
        session,
        Workspace,
        {"team_id": who.team_id, "enterprise_id": who.enterprise_id, "created_at": now},
        unique_on=["enterprise_id", "team_id"],
    )
    workspace_id = session.scalar(
        select(Workspace.id).where(
            Workspace.team_id == who.team_id, Workspace.enterprise_id == who.enterprise_id
        )
    )
    user = profile.user() or {}
    insert_if_absent(
        session,
        Person,
        {
            "workspace_id": workspace_id,
            "slack_user_id": who.user_id,
            "tz": valid_zone(user.get("tz")) or "UTC",
            "created_at": now,
            **preference_columns(defaults),
        },
        unique_on=["workspace_id", "slack_user_id"],
    )
    person = find_person(session, who)
    assert person is not None
    return person


class PeopleService:
    """Keeping what we know about people in step with Slack's events."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def _matching(self, session: Session, team_id: str, user_id: str) -> list[Person]:
        return list(
            session.scalars(
                select(Person)
                .join(Workspace)
                .where(Workspace.team_id == team_id, Person.slack_user_id == user_id)
            )
        )

    def user_changed(self, team_id: str, user: dict[str, Any]) -> int:
        """`user_change`: time zone, status, huddle. Returns how many rows were updated."""
        with self._sessions.begin() as session:
            people = self._matching(session, team_id, str(user.get("id", "")))
            for person in people:
                zone_before = person.zone_name
                apply_user(person, user, self._clock.now())
                if person.zone_name != zone_before:  # moved: the same wall times, a new zone
                    replan(person, self._clock.now())
                    plan_weekly_summary(person, self._clock.now())
        return len(people)

    def dnd_changed(self, team_id: str, user_id: str, dnd_status: dict[str, Any]) -> int:
        """`dnd_updated_user`: the person's scheduled Do-Not-Disturb window."""
        with self._sessions.begin() as session:
            people = self._matching(session, team_id, user_id)
            for person in people:
                apply_dnd(person, dnd_status, self._clock.now())
        return len(people)
