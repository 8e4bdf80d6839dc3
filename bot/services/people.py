"""Find or create the workspace and person behind a Slack request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Person, Workspace
from bot.db.writes import insert_if_absent


@dataclass(frozen=True)
class SlackUser:
    """Who a request came from: the workspace (and Grid org) and the user id within it."""

    team_id: str
    user_id: str
    enterprise_id: str = ""


def valid_zone(name: str | None) -> str | None:
    """The IANA zone name if zoneinfo knows it (Slack sends IANA names in `user.tz`)."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


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
    session: Session, who: SlackUser, now: datetime, lookup_tz: Callable[[], str | None]
) -> Person:
    """The person's row, created on first contact with the time zone from their Slack profile.

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
    insert_if_absent(
        session,
        Person,
        {
            "workspace_id": workspace_id,
            "slack_user_id": who.user_id,
            "tz": valid_zone(lookup_tz()) or "UTC",
            "place": "office",
            "created_at": now,
        },
        unique_on=["workspace_id", "slack_user_id"],
    )
    person = find_person(session, who)
    assert person is not None
    return person


class PeopleService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def update_tz(self, team_id: str, user_id: str, tz: str | None) -> bool:
        """Follow a profile's time zone change (the `user_change` event). True when stored."""
        zone = valid_zone(tz)
        if zone is None:
            return False
        with self._sessions.begin() as session:
            people = session.scalars(
                select(Person)
                .join(Workspace)
                .where(Workspace.team_id == team_id, Person.slack_user_id == user_id)
            ).all()
            for person in people:
                person.tz = zone
        return bool(people)
