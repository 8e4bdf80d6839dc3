"""Planning: turn each due person's `next_nudge_at` into a nudge row, and advance it.

Runs in every instance at once. Safety comes from the database, not from a single scheduler:
`next_nudge_at` is advanced with a compare-and-set (two planners cannot both win), and nudges are
unique on (person, slot) (a re-plan cannot create a second one).

A batch of due people is planned set-wise — one statement for all their compare-and-sets, one
read of their recent nudges, one write each for the ignored, superseded and new nudges — because
statement round trips, not the rules, were the cost (see docs/benchmarks.md, fix E). The rules
themselves are plain functions of a person and their recent nudges (`bot.jobs.nudge_rules`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import ClassVar

from sqlalchemy import bindparam, exists, select, text, union_all, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from bot.db.days_off import days_off_for
from bot.db.fit import tastes_of
from bot.db.models import UNANSWERED_NUDGES, Nudge, Person, Workspace
from bot.db.people import schedule_for
from bot.db.team_library import WorkspaceLibraries
from bot.db.workspace_defaults import nudge_caps
from bot.db.writes import insert_many_if_absent, value_by_id
from bot.domain.clock import Clock
from bot.domain.days_off import next_working_slot, slot_is_off
from bot.jobs.nudge_rules import RECENT_EXERCISES_AVOIDED, PlanningRules, choose_content, decide

# The nudges read for each planned person: their whole work day and the back-off window of two
# intervals (at most 4 hours) both lie inside it. A work day's windows start on its date and the
# last may run up to a day past its midnight: at most 48 hours, 49 across a DST change.
HISTORY_WINDOW = timedelta(hours=49)
# People planned at a time, in one transaction.
BATCH = 200

_NUDGES = Nudge.__table__
_PEOPLE = Person.__table__


@dataclass
class NudgePlanning:
    """A tick step: plans the due slots a batch of people at a time, until nobody is due."""

    name: ClassVar[str] = "nudge planning"
    sessions: sessionmaker[Session]
    clock: Clock
    libraries: WorkspaceLibraries
    rules: PlanningRules

    def run(self) -> Counter[str]:
        planned = 0
        while True:
            now = self.clock.now()
            with self.sessions.begin() as session:
                people = due_people(session, now, BATCH)
                planned += plan_batch(session, people, now, self.libraries, self.rules)
            if len(people) < BATCH:
                return Counter(planned=planned)


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


def plan_batch(
    session: Session,
    people: Sequence[Person],
    now: datetime,
    libraries: WorkspaceLibraries,
    rules: PlanningRules,
) -> int:
    """Create the nudges for the people's due slots (those that should be sent) and advance
    every slot. Returns how many nudges were created; a slot is skipped when the person is
    paused, capped or backed off, when it was missed outside work hours, when it falls on a day
    off (time off, a public holiday: the next slot is then the next working day's), or when
    another planner advanced it first."""
    if not people:
        return 0
    slots = {person.id: person.next_nudge_at for person in people}
    # Two days back covers every zone's local date of a slot due now (UTC-12 to UTC+14).
    days_off = days_off_for(session, people, since=now.date() - timedelta(days=2))
    schedules = {person.id: schedule_for(person) for person in people}
    upcoming = {
        person.id: next_working_slot(
            schedules[person.id],
            max(slots[person.id], now, person.paused_until or now),
            days_off[person.id],
        )
        for person in people
    }
    advanced = _advance(session, people, slots, upcoming)
    if not advanced:
        return 0
    ids = [person.id for person in advanced]
    mark_ignored(session, ids, now)
    history = _recent_nudges(session, ids, now - HISTORY_WINDOW)
    caps = nudge_caps(session, {person.workspace_id for person in advanced})
    new = []
    for person in advanced:
        if slot_is_off(schedules[person.id], slots[person.id], days_off[person.id]):
            continue
        own_rules = replace(rules, daily_cap=caps.get(person.workspace_id, rules.daily_cap))
        decision = decide(person, slots[person.id], now, history[person.id], own_rules)
        if decision:
            new.append((person, slots[person.id], *decision))
    if not new:
        return 0
    short = [p.id for p, *_ in new if len(history[p.id]) < RECENT_EXERCISES_AVOIDED]
    older = _last_nudges(session, short, RECENT_EXERCISES_AVOIDED) if short else {}
    tastes = tastes_of(session, [person.id for person, *_ in new])
    by_workspace = {
        workspace: libraries.of_workspace(workspace, session)
        for workspace in {person.workspace_id for person, *_ in new}
    }
    chosen = []
    for person, slot, kind, backoff_notice in new:
        recent = older.get(person.id) or history[person.id]
        library = by_workspace[person.workspace_id]
        content = choose_content(recent, person, slot, library, tastes[person.id])
        if content is not None:  # None: they ruled out everything there is
            chosen.append((person, slot, kind, backoff_notice, content))
    _supersede(session, [(person.id, slot) for person, slot, *_ in chosen])
    rows = []
    for person, slot, kind, backoff_notice, (exercise_id, tip_id) in chosen:
        rows.append(
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
            }
        )
    return insert_many_if_absent(session, Nudge, rows, unique_on=["person_id", "slot_at"])


def _advance(
    session: Session,
    people: Sequence[Person],
    slots: dict[int, datetime],
    upcoming: dict[int, datetime],
) -> list[Person]:
    """Compare-and-set for the whole batch: a person's slot moves on only where it still is
    what this planner read. Returns the people this planner moved."""
    moved = set(
        session.execute(
            update(_PEOPLE)
            .where(
                _PEOPLE.c.id.in_(slots),
                _PEOPLE.c.next_nudge_at == value_by_id(_PEOPLE, "next_nudge_at", slots),
            )
            .values(next_nudge_at=value_by_id(_PEOPLE, "next_nudge_at", upcoming))
            .returning(_PEOPLE.c.id)
        ).scalars()
    )
    advanced = [person for person in people if person.id in moved]
    for person in advanced:
        # Already stored: telling the ORM keeps it from writing it a second time (fix G).
        set_committed_value(person, "next_nudge_at", upcoming[person.id])
    return advanced


def mark_ignored(session: Session, person_ids: list[int], now: datetime) -> None:
    """A sent nudge nobody acted on before the next one is planned was ignored."""
    session.execute(
        update(_NUDGES)
        # Written as a literal, the text of their partial index, so that SQLite sees it applies.
        .where(_NUDGES.c.person_id.in_(person_ids), text(UNANSWERED_NUDGES))
        .values(outcome="ignored", outcome_at=now)
    )


def _recent_nudges(session: Session, person_ids: list[int], since: datetime) -> dict[int, list]:
    """Each person's nudges with a slot since `since`, newest first."""
    recent: dict[int, list] = defaultdict(list)
    for row in session.execute(
        select(
            _NUDGES.c.person_id,
            _NUDGES.c.slot_at,
            _NUDGES.c.status,
            _NUDGES.c.kind,
            _NUDGES.c.outcome,
            _NUDGES.c.sent_at,
            _NUDGES.c.exercise_id,
            _NUDGES.c.tip_id,
        )
        .where(_NUDGES.c.person_id.in_(person_ids), _NUDGES.c.slot_at >= since)
        .order_by(_NUDGES.c.person_id, _NUDGES.c.slot_at.desc())
    ):
        recent[row.person_id].append(row)
    return recent


def _last_nudges(session: Session, person_ids: list[int], count: int) -> dict[int, list]:
    """Each person's last `count` nudges, however old — for those with few recent ones. One
    index walk per person, newest first, stopping after `count`: never their whole history."""
    columns = (_NUDGES.c.person_id, _NUDGES.c.slot_at, _NUDGES.c.exercise_id, _NUDGES.c.tip_id)
    latest = [
        select(*columns)
        .where(_NUDGES.c.person_id == person_id)
        .order_by(_NUDGES.c.slot_at.desc())
        .limit(count)
        .subquery()
        for person_id in person_ids
    ]
    last: dict[int, list] = defaultdict(list)
    for row in session.execute(union_all(*(select(each) for each in latest))):
        last[row.person_id].append(row)
    for rows in last.values():
        rows.sort(key=lambda row: row.slot_at, reverse=True)
    return last


def _supersede(session: Session, slots: list[tuple[int, datetime]]) -> None:
    """Older undelivered nudges of a person are dropped when a newer one is planned."""
    session.execute(
        update(_NUDGES)
        .where(
            _NUDGES.c.person_id == bindparam("superseded_person"),
            _NUDGES.c.status == "pending",
            _NUDGES.c.slot_at < bindparam("newer_slot", type_=_NUDGES.c.slot_at.type),
        )
        .values(status="dropped", note="superseded by a newer nudge"),
        [{"superseded_person": pid, "newer_slot": slot} for pid, slot in slots],
    )
