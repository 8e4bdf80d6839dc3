"""Queries about nudges that use cases share with the tick."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.db.availability import availability_of
from bot.db.models import Nudge, Person
from bot.db.people import find_person, schedule_for
from bot.db.writes import insert_if_absent
from bot.domain.availability import busy
from bot.domain.people import SlackUser
from bot.domain.presence import AWAY_FROM_DESK
from bot.domain.schedule import is_work_time

# The note of a nudge held because its person was busy; what follows says why.
HELD = "held: "


def create_snooze(
    session: Session,
    original: Nudge,
    person: Person,
    now: datetime,
    delay: timedelta,
) -> bool:
    """One re-nudge `delay` from now; a second Snooze click on the same nudge does nothing."""
    return insert_if_absent(
        session,
        Nudge,
        {
            "person_id": person.id,
            "slot_at": now + delay,
            "due_at": now + delay,
            "kind": "snooze",
            "exercise_id": original.exercise_id,
            "tip_id": original.tip_id,
            "status": "pending",
            "attempts": 0,
            "backoff_notice": False,
            "snoozed_from": original.id,
            "created_at": now,
        },
        unique_on=["snoozed_from"],
    )


def record_nudge_outcome(
    session: Session, person: Person, nudge_id: int, outcome: str, now: datetime
) -> bool:
    """Done, snoozed or skipped — the first answer counts, later clicks change nothing."""
    return (
        session.execute(
            update(Nudge)
            .where(
                Nudge.id == nudge_id,
                Nudge.person_id == person.id,
                (Nudge.outcome.is_(None)) | (Nudge.outcome == "ignored"),
            )
            .values(outcome=outcome, outcome_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def release_held(session: Session, person: Person, now: datetime) -> int:
    """Make the person's held nudges due now, if nothing holds them any more: a meeting, DND
    window or huddle that ends early ends the wait, instead of the time the status would have
    expired. Only while they are free and inside work hours: a nudge still held for another
    reason, or released at lunch, keeps its time. Delivery checks both again, and paces. A nudge
    held while its person was away from the desk keeps its time too: no event tells when they
    are back, so the tick asks Slack again then.

    Idempotent: a nudge due now is not held any more, so a repeated event changes nothing.
    Returns how many nudges were released."""
    if busy(availability_of(person), now) or not is_work_time(schedule_for(person), now):
        return 0
    # No event says someone is back at their desk: those nudges wait for their recheck.
    away_from_desk = HELD + AWAY_FROM_DESK.reason
    return session.execute(
        update(Nudge)
        .where(
            Nudge.person_id == person.id,
            Nudge.status == "pending",
            Nudge.due_at > now,
            Nudge.note.startswith(HELD, autoescape=True),
            Nudge.note != away_from_desk,
        )
        .values(due_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount


def own_nudge(session: Session, who: SlackUser, nudge_id: int) -> tuple[Person, Nudge] | None:
    """The nudge and its owner, if `who` owns it: nobody answers someone else's nudge."""
    person = find_person(session, who)
    nudge = session.get(Nudge, nudge_id) if person else None
    if person is None or nudge is None or nudge.person_id != person.id:
        return None
    return person, nudge
