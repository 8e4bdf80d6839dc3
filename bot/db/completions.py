"""Recording Done clicks and counting them by the person's local day."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import Completion, Person
from bot.db.writes import insert_if_absent
from bot.domain.self_reports import SELF_REPORTED
from bot.domain.zones import local_day_bounds

SOURCES = ("command", "nudge", "challenge", SELF_REPORTED)


def record_completion(
    session: Session,
    person: Person,
    exercise_id: str,
    source: str,
    done_on: str,
    at: datetime,
    *,
    what: str | None = None,
) -> bool:
    """Save one completion of what `done_on` names (a card, a challenge day); a repeat by the same
    person is ignored. True when new. `what` describes a self-reported break.

    The dedupe key holds the person: a button value replayed by someone else must neither count
    for them on the owner's behalf nor use up the owner's own Done."""
    if source not in SOURCES:
        raise ValueError(f"unknown completion source {source!r}")
    return insert_if_absent(
        session,
        Completion,
        {
            "person_id": person.id,
            "exercise_id": exercise_id,
            "source": source,
            "completed_at": at,
            "dedupe_key": completion_key(source, done_on, person),
            "what": what,
        },
        unique_on=["dedupe_key"],
    )


def completion_key(source: str, done_on: str, person: Person) -> str:
    return f"{source}:{done_on}:{person.id}"


def completion_of(session: Session, person: Person, source: str, done_on: str) -> Completion | None:
    """The person's completion of what `done_on` names, if they recorded one."""
    return session.scalar(
        select(Completion).where(Completion.dedupe_key == completion_key(source, done_on, person))
    )


def count_done_today(session: Session, person: Person, now: datetime) -> int:
    start, end = local_day_bounds(person.tz, now)
    return (
        session.scalar(
            select(func.count())
            .select_from(Completion)
            .where(
                Completion.person_id == person.id,
                Completion.completed_at >= start,
                Completion.completed_at < end,
            )
        )
        or 0
    )
