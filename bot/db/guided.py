"""A walk-through's generation: bumped by each click (which supersedes whatever advance was
pending), compare-and-set by an automatic advance (which only moves a walk nobody touched since)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from bot.db.models import GuidedWalk, Person
from bot.db.writes import insert_if_absent

# A walk-through untouched this long is gone: nobody comes back to a hold a day later.
FORGOTTEN_AFTER = timedelta(days=1)


def touch_walk(session: Session, person: Person, card: str, now: datetime) -> tuple[int, int]:
    """(the walk's id, its new generation) after a click, creating the walk on the first one.
    The person's forgotten walks are swept on the way."""
    session.execute(
        delete(GuidedWalk).where(
            GuidedWalk.person_id == person.id, GuidedWalk.updated_at < now - FORGOTTEN_AFTER
        )
    )
    values = {"person_id": person.id, "card": card, "generation": 0, "updated_at": now}
    insert_if_absent(session, GuidedWalk, values, ["person_id", "card"])
    bumped = session.execute(
        update(GuidedWalk)
        .where(GuidedWalk.person_id == person.id, GuidedWalk.card == card)
        .values(generation=GuidedWalk.generation + 1, updated_at=now)
        .returning(GuidedWalk.id, GuidedWalk.generation)
    ).one()
    return bumped.id, bumped.generation


def advance_walk(session: Session, walk_id: int, generation: int, now: datetime) -> bool:
    """Move the walk on from `generation`, if it is still there."""
    moved = session.execute(
        update(GuidedWalk)
        .where(GuidedWalk.id == walk_id, GuidedWalk.generation == generation)
        .values(generation=generation + 1, updated_at=now)
    )
    return moved.rowcount == 1


def end_walk(session: Session, person: Person, card: str) -> None:
    session.execute(
        delete(GuidedWalk).where(GuidedWalk.person_id == person.id, GuidedWalk.card == card)
    )
