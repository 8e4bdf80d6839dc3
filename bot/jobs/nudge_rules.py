"""The rules of planning: whether a person's due slot gets a nudge (pause, daily cap, back-off
after ignored nudges, one late nudge after downtime) and what it shows. Plain functions of a
person and their recent nudges; `bot.jobs.nudge_planning` reads and writes them set-wise."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row

from bot.db.models import Person
from bot.db.people import schedule_for
from bot.domain.content import Library
from bot.domain.picker import pick
from bot.domain.schedule import is_work_time, local_date
from bot.domain.zones import local_day_bounds

# A slot this much older than now was missed (the bot was down), not merely reached by the tick.
LATE_AFTER = timedelta(minutes=2)
IGNORED_IN_A_ROW_FOR_BACKOFF = 3
RECENT_EXERCISES_AVOIDED = 3
MOVEMENT_BREAK_SHARE = 0.25  # the article: short walks to the water cooler count too
LIVE = ("pending", "sending", "sent")


@dataclass(frozen=True)
class PlanningRules:
    # DAILY_NUDGE_CAP; a workspace's admin may choose another (`bot.db.workspace_defaults`).
    daily_cap: int = 8


def decide(
    person: Person, slot: datetime, now: datetime, recent: list[Row], rules: PlanningRules
) -> tuple[str, bool] | None:
    """Whether the person's due `slot` gets a nudge, given their recent nudges (newest first,
    ignored ones already marked): None, or its kind and whether it carries the one-time note
    that reminders were halved. May start today's back-off on `person`."""
    if person.paused_until and person.paused_until > slot:
        return None
    schedule = schedule_for(person)
    missed = slot < now - LATE_AFTER  # the bot was down: one late nudge, in today's work hours
    same_work_day = is_work_time(schedule, now) and (
        local_date(schedule, slot) == local_date(schedule, now)
    )
    if missed and not same_work_day:
        return None
    day_start, day_end = local_day_bounds(person.zone_name, now)
    sent_today = sum(
        1
        for nudge in recent
        if day_start <= nudge.slot_at < day_end and nudge.status in LIVE and nudge.kind != "snooze"
    )
    if sent_today >= rules.daily_cap:
        return None
    today = local_date(schedule, now).isoformat()
    backoff_notice = person.backoff_on != today and _ignored_in_a_row(recent, day_start)
    if backoff_notice:
        person.backoff_on = today  # halve the rest of today
    elif person.backoff_on == today:
        since = now - timedelta(minutes=2 * schedule.interval_minutes) + LATE_AFTER
        if any(nudge.status in LIVE and nudge.slot_at > since for nudge in recent):
            return None  # backed off: every other slot for the rest of the day
    return ("late" if missed else "scheduled"), backoff_notice


def _ignored_in_a_row(recent: list[Row], day_start: datetime) -> bool:
    """The last three nudges sent today were all ignored."""
    sent_today = [n for n in recent if n.status == "sent" and n.sent_at >= day_start]
    last = sent_today[:IGNORED_IN_A_ROW_FOR_BACKOFF]
    return len(last) == IGNORED_IN_A_ROW_FOR_BACKOFF and all(n.outcome == "ignored" for n in last)


def choose_content(
    recent: Sequence[Row], person: Person, slot: datetime, library: Library
) -> tuple[str | None, str | None]:
    """An exercise for the person's place, not one of their last few — or, sometimes, a short
    movement break. Seeded by person and slot, so the choice is reproducible. `recent`: the
    person's latest nudges, newest first."""
    rng = random.Random(f"{person.id}:{slot.isoformat()}")
    recent = recent[:RECENT_EXERCISES_AVOIDED]
    breaks = library.movement_breaks
    if breaks and rng.random() < MOVEMENT_BREAK_SHARE:
        tip = pick(breaks, rng, avoid=[t for t in breaks if t.id in {r.tip_id for r in recent}])
        return None, tip.id
    exercises = library.by_place(person.place) or list(library.exercises)
    avoid = [e for e in exercises if e.id in {r.exercise_id for r in recent}]
    return pick(exercises, rng, avoid=avoid).id, None
