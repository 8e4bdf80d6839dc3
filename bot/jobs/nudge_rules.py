"""The rules of planning: whether a person's due slot gets a nudge (pause, daily cap, back-off
after ignored nudges, one late nudge after downtime) and what it shows. Plain functions of a
person and their recent nudges; `bot.jobs.nudge_planning` reads and writes them set-wise."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row

from bot.db.fit import restrictions_of
from bot.db.models import Person
from bot.db.people import schedule_for
from bot.domain.content import Exercise, Library
from bot.domain.fit import Fit, Taste, choose, fitting_breaks
from bot.domain.picker import pick
from bot.domain.schedule import is_work_time, work_day_of

# A slot this much older than now was missed (the bot was down), not merely reached by the tick.
LATE_AFTER = timedelta(minutes=2)
IGNORED_IN_A_ROW_FOR_BACKOFF = 3
RECENT_EXERCISES_AVOIDED = 3
MOVEMENT_BREAK_SHARE = 0.25  # the article: short walks to the water cooler count too
LIVE = ("pending", "sending", "sent")


@dataclass(frozen=True)
class PlanningRules:
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
    work_day = work_day_of(schedule, slot)  # a night shift's small hours count for its evening
    missed = slot < now - LATE_AFTER  # the bot was down: one late nudge, in today's work hours
    same_work_day = is_work_time(schedule, now) and work_day_of(schedule, now) == work_day
    if missed and not same_work_day:
        return None
    todays = [nudge for nudge in recent if work_day_of(schedule, nudge.slot_at) == work_day]
    sent_today = sum(1 for nudge in todays if nudge.status in LIVE and nudge.kind != "snooze")
    if sent_today >= rules.daily_cap:
        return None
    backoff_notice = person.backoff_on != work_day.isoformat() and _ignored_in_a_row(todays)
    if backoff_notice:
        person.backoff_on = work_day.isoformat()  # halve the rest of today
    elif person.backoff_on == work_day.isoformat():
        since = now - timedelta(minutes=2 * schedule.interval_minutes) + LATE_AFTER
        if any(nudge.status in LIVE and nudge.slot_at > since for nudge in recent):
            return None  # backed off: every other slot for the rest of the day
    return ("late" if missed else "scheduled"), backoff_notice


def _ignored_in_a_row(todays: list[Row]) -> bool:
    """The last three nudges sent this work day were all ignored."""
    sent_today = [n for n in todays if n.status == "sent"]
    last = sent_today[:IGNORED_IN_A_ROW_FOR_BACKOFF]
    return len(last) == IGNORED_IN_A_ROW_FOR_BACKOFF and all(n.outcome == "ignored" for n in last)


def choose_content(
    recent: Sequence[Row], person: Person, slot: datetime, library: Library, taste: Taste
) -> tuple[str | None, str | None] | None:
    """(exercise id, tip id): an exercise that suits the person at their place, not one of their
    last few — or, sometimes, a short movement break that suits them; None when they ruled out
    everything. Seeded by person and slot, so the choice is reproducible. `recent`: the
    person's latest nudges, newest first."""
    rng = random.Random(f"{person.id}:{slot.isoformat()}")
    recent = recent[:RECENT_EXERCISES_AVOIDED]
    fit = Fit(person.place, restrictions_of(person), taste)
    breaks = fitting_breaks(library, fit)
    if breaks and rng.random() < MOVEMENT_BREAK_SHARE:
        tip = pick(breaks, rng, avoid=[t for t in breaks if t.id in {r.tip_id for r in recent}])
        return None, tip.id
    shown = {r.exercise_id for r in recent} | {r.tip_id for r in recent}
    choice = choose(library, fit, rng, avoid=shown)
    if choice is None:
        return None
    if isinstance(choice.activity, Exercise):
        return choice.activity.id, None
    return None, choice.activity.id
