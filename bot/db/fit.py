"""Reading and writing what suits a person: their restrictions (a `Person` column) and their
feedback on single activities (`activity_feedback`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db.models import ActivityFeedback, Completion, Person
from bot.db.writes import insert_if_absent
from bot.domain.fit import Fit, Restriction, Taste, format_restrictions, parse_restrictions


def restrictions_of(person: Person) -> frozenset[Restriction]:
    return parse_restrictions(person.fit_restrictions)


def store_restrictions(person: Person, restrictions: Collection[Restriction]) -> None:
    person.fit_restrictions = format_restrictions(restrictions)


def fit_of(session: Session, person: Person) -> Fit:
    """The person's `Fit` at their usual place."""
    return Fit(person.place, restrictions_of(person), tastes_of(session, [person.id])[person.id])


def tastes_of(session: Session, person_ids: Collection[int]) -> dict[int, Taste]:
    """Each person's `Taste`, in two queries whatever the number of people."""
    hidden: dict[int, set[str]] = defaultdict(set)
    liked: dict[int, set[str]] = defaultdict(set)
    done: dict[int, set[str]] = defaultdict(set)
    feedback = session.execute(
        select(
            ActivityFeedback.person_id,
            ActivityFeedback.activity_id,
            ActivityFeedback.hidden,
            ActivityFeedback.liked,
        ).where(ActivityFeedback.person_id.in_(person_ids))
    )
    for person_id, activity_id, is_hidden, is_liked in feedback:
        if is_hidden:
            hidden[person_id].add(activity_id)
        if is_liked:
            liked[person_id].add(activity_id)
    completed = session.execute(
        select(Completion.person_id, Completion.exercise_id)
        .where(Completion.person_id.in_(person_ids))
        .distinct()
    )
    for person_id, activity_id in completed:
        done[person_id].add(activity_id)
    return {
        person_id: Taste(
            frozenset(hidden[person_id]), frozenset(liked[person_id]), frozenset(done[person_id])
        )
        for person_id in person_ids
    }


def mark_activity(
    session: Session, person: Person, activity_id: str, now: datetime, **flags: bool
) -> None:
    """Set ``hidden`` and/or ``liked`` for one activity; the same call twice changes nothing."""
    insert_if_absent(
        session,
        ActivityFeedback,
        {"person_id": person.id, "activity_id": activity_id, "updated_at": now},
        unique_on=["person_id", "activity_id"],
    )
    session.execute(
        update(ActivityFeedback)
        .where(ActivityFeedback.person_id == person.id, ActivityFeedback.activity_id == activity_id)
        .values(updated_at=now, **flags)
    )


def unhide(session: Session, person: Person, activity_ids: Collection[str], now: datetime) -> None:
    session.execute(
        update(ActivityFeedback)
        .where(
            ActivityFeedback.person_id == person.id,
            ActivityFeedback.activity_id.in_(activity_ids),
        )
        .values(hidden=False, updated_at=now)
    )
