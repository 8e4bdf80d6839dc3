"""Planning: turn each due person's `next_nudge_at` into a nudge row, and advance it.

Runs in every instance at once. Safety comes from the database, not from a single scheduler:
`next_nudge_at` is advanced with a compare-and-set (two planners cannot both win), and nudges are
unique on (person, slot) (a re-plan cannot create a second one).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from bot.content import Library
from bot.db.models import Nudge, Person, Workspace
from bot.db.writes import insert_if_absent
from bot.picker import pick
from bot.reminders.person_schedule import schedule_for
from bot.schedule import WorkSchedule, is_work_time, local_date, next_slot
from bot.services.completions import local_day_bounds

# A slot this much older than now was missed (the bot was down), not merely reached by the tick.
LATE_AFTER = timedelta(minutes=2)
IGNORED_IN_A_ROW_FOR_BACKOFF = 3
RECENT_EXERCISES_AVOIDED = 3
MOVEMENT_BREAK_SHARE = 0.25  # the article: short walks to the water cooler count too


@dataclass(frozen=True)
class PlanningRules:
    daily_cap: int = 8


def due_people(session: Session, now: datetime, limit: int) -> list[Person]:
    query = (
        select(Person)
        .where(
            Person.reminders_on.is_(True),
            Person.deactivated_at.is_(None),
            Person.next_nudge_at <= now,
            exists().where(Workspace.id == Person.workspace_id, Workspace.active.is_(True)),
        )
        .order_by(Person.next_nudge_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def plan_person(
    session: Session, person: Person, now: datetime, library: Library, rules: PlanningRules
) -> Nudge | None:
    """Create the nudge for the person's due slot (if it should be sent) and advance the slot.

    Returns the new nudge, or None when the slot was skipped (paused, capped, backed off, missed
    outside work hours) or another planner got there first.
    """
    schedule = schedule_for(person)
    slot = person.next_nudge_at
    assert slot is not None
    resume_from = max(slot, now, person.paused_until or now)
    upcoming = next_slot(schedule, resume_from)
    if not _advance(session, person, slot, upcoming):
        return None
    _mark_ignored(session, person, now)
    if not _should_send(session, person, schedule, slot, now, rules):
        return None
    backoff_notice = _start_backoff_if_ignored(session, person, schedule, now)
    halved = person.backoff_on == local_date(schedule, now).isoformat()
    doubled_interval = timedelta(minutes=2 * schedule.interval_minutes)
    if halved and not backoff_notice and _sent_recently(session, person, now, doubled_interval):
        return None  # backed off: every other slot for the rest of the day
    kind = "late" if slot < now - LATE_AFTER else "scheduled"
    return _create(session, person, slot, now, kind, library, backoff_notice)


def _advance(session: Session, person: Person, slot: datetime, upcoming: datetime) -> bool:
    """Compare-and-set: only the planner that still sees `slot` moves it on."""
    moved = session.execute(
        update(Person)
        .where(Person.id == person.id, Person.next_nudge_at == slot)
        .values(next_nudge_at=upcoming)
        .execution_options(synchronize_session=False)
    ).rowcount
    person.next_nudge_at = upcoming
    return moved == 1


def _should_send(
    session: Session,
    person: Person,
    schedule: WorkSchedule,
    slot: datetime,
    now: datetime,
    rules: PlanningRules,
) -> bool:
    if person.paused_until and person.paused_until > slot:
        return False
    missed = slot < now - LATE_AFTER  # the bot was down: one late nudge, in today's work hours
    same_work_day = is_work_time(schedule, now) and (
        local_date(schedule, slot) == local_date(schedule, now)
    )
    if missed and not same_work_day:
        return False
    return _sent_today(session, person, now) < rules.daily_cap


def _sent_today(session: Session, person: Person, now: datetime) -> int:
    start, end = local_day_bounds(person.zone_name, now)
    return (
        session.scalar(
            select(func.count())
            .select_from(Nudge)
            .where(
                Nudge.person_id == person.id,
                Nudge.slot_at >= start,
                Nudge.slot_at < end,
                Nudge.status.in_(("pending", "sending", "sent")),
                Nudge.kind != "snooze",
            )
        )
        or 0
    )


def _mark_ignored(session: Session, person: Person, now: datetime) -> None:
    """A sent nudge nobody acted on before the next one is planned was ignored."""
    session.execute(
        update(Nudge)
        .where(Nudge.person_id == person.id, Nudge.status == "sent", Nudge.outcome.is_(None))
        .values(outcome="ignored", outcome_at=now)
        .execution_options(synchronize_session=False)
    )


def _start_backoff_if_ignored(
    session: Session, person: Person, schedule: WorkSchedule, now: datetime
) -> bool:
    """After three ignored nudges in a row today, halve the rest of today. True the first time."""
    today = local_date(schedule, now).isoformat()
    if person.backoff_on == today:
        return False
    start, _ = local_day_bounds(person.zone_name, now)
    outcomes = session.scalars(
        select(Nudge.outcome)
        .where(Nudge.person_id == person.id, Nudge.status == "sent", Nudge.sent_at >= start)
        .order_by(Nudge.slot_at.desc())
        .limit(IGNORED_IN_A_ROW_FOR_BACKOFF)
    ).all()
    if len(outcomes) < IGNORED_IN_A_ROW_FOR_BACKOFF or any(o != "ignored" for o in outcomes):
        return False
    person.backoff_on = today
    return True


def _sent_recently(session: Session, person: Person, now: datetime, window: timedelta) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(Nudge)
            .where(
                Nudge.person_id == person.id,
                Nudge.status.in_(("pending", "sending", "sent")),
                Nudge.slot_at > now - window + LATE_AFTER,
            )
        )
        > 0
    )


def _create(
    session: Session,
    person: Person,
    slot: datetime,
    now: datetime,
    kind: str,
    library: Library,
    backoff_notice: bool = False,
) -> Nudge | None:
    """Insert the nudge (once per person and slot) with its content chosen now, so a retried
    send posts the same exercise. Older undelivered nudges of the person are superseded."""
    session.execute(
        update(Nudge)
        .where(Nudge.person_id == person.id, Nudge.status == "pending", Nudge.slot_at < slot)
        .values(status="dropped", note="superseded by a newer nudge")
        .execution_options(synchronize_session=False)
    )
    exercise_id, tip_id = choose_content(session, person, slot, library)
    inserted = insert_if_absent(
        session,
        Nudge,
        {
            "person_id": person.id,
            "slot_at": slot,
            "due_at": max(slot, now),
            "kind": kind,
            "exercise_id": exercise_id,
            "tip_id": tip_id,
            "status": "pending",
            "attempts": 0,
            "backoff_notice": backoff_notice,
            "created_at": now,
        },
        unique_on=["person_id", "slot_at"],
    )
    if not inserted:
        return None
    return session.scalar(select(Nudge).where(Nudge.person_id == person.id, Nudge.slot_at == slot))


def choose_content(
    session: Session, person: Person, slot: datetime, library: Library
) -> tuple[str | None, str | None]:
    """An exercise for the person's place, not one of their last few — or, sometimes, a short
    movement break. Seeded by person and slot, so the choice is reproducible."""
    rng = random.Random(f"{person.id}:{slot.isoformat()}")
    recent = session.execute(
        select(Nudge.exercise_id, Nudge.tip_id)
        .where(Nudge.person_id == person.id)
        .order_by(Nudge.slot_at.desc())
        .limit(RECENT_EXERCISES_AVOIDED)
    ).all()
    breaks = library.movement_breaks
    if breaks and rng.random() < MOVEMENT_BREAK_SHARE:
        tip = pick(breaks, rng, avoid=[t for t in breaks if t.id in {r.tip_id for r in recent}])
        return None, tip.id
    exercises = library.by_place(person.place) or list(library.exercises)
    avoid = [e for e in exercises if e.id in {r.exercise_id for r in recent}]
    return pick(exercises, rng, avoid=avoid).id, None


def create_snooze(
    session: Session,
    original: Nudge,
    person: Person,
    now: datetime,
    library: Library,
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
