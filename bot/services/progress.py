"""Progress use cases: the numbers behind `/stretch stats` and the Home tab, the weekly summary,
and forgetting someone completely."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.content import Library
from bot.db.models import (
    Challenge,
    ChallengeMember,
    Completion,
    Nudge,
    Pause,
    Person,
)
from bot.preferences import Preferences
from bot.progress import (
    DoneEvent,
    NudgeEvent,
    PausedSpan,
    ProgressView,
    progress_view,
)
from bot.reminders.person_schedule import schedule_for
from bot.schedule import local_date
from bot.services.people import SlackUser, find_person

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChallengeEntry:
    channel_id: str
    active: bool


class ProgressService:
    def __init__(
        self, sessions: sessionmaker[Session], clock: Clock, library: Library, defaults: Preferences
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._library = library
        self._defaults = defaults
        self._titles = {a.id: a.title for a in (*library.exercises, *library.tips)}

    def view(self, who: SlackUser) -> ProgressView:
        """The person's progress; someone the app has not met yet gets an empty one."""
        now = self._clock.now()
        with self._sessions() as session:
            person = find_person(session, who)
            if person is None:
                return progress_view(
                    [],
                    [],
                    [],
                    tz="UTC",
                    work_days=self._defaults.work_days,
                    now=now,
                    titles=self._titles,
                )
            return self._view(session, person, now)

    def _view(self, session: Session, person: Person, now: datetime) -> ProgressView:
        schedule = schedule_for(person)
        today = local_date(schedule, now)
        return progress_view(
            done_events(session, person),
            _nudge_events(session, person, lambda slot: local_date(schedule, slot) < today),
            [
                PausedSpan(p.start, p.end)
                for p in session.scalars(select(Pause).where(Pause.person_id == person.id))
            ],
            tz=schedule.tz,
            work_days=schedule.work_days,
            now=now,
            titles=self._titles,
        )

    def challenges(self, who: SlackUser) -> list[ChallengeEntry]:
        """The challenges the person is in, newest first."""
        with self._sessions() as session:
            person = find_person(session, who)
            if person is None:
                return []
            rows = session.execute(
                select(Challenge.channel_id, Challenge.status)
                .join(ChallengeMember, ChallengeMember.challenge_id == Challenge.id)
                .where(ChallengeMember.person_id == person.id, ChallengeMember.active.is_(True))
                .order_by(Challenge.created_at.desc())
                .limit(5)
            ).all()
        return [ChallengeEntry(channel, status == "active") for channel, status in rows]

    def forget(self, who: SlackUser) -> bool:
        """Delete everything stored about the person (their rows cascade) and stop nudges.
        Challenges they started stay for the others, without their name."""
        with self._sessions.begin() as session:
            person = find_person(session, who)
            if person is None:
                return False
            session.execute(
                update(Challenge)
                .where(
                    Challenge.workspace_id == person.workspace_id,
                    Challenge.started_by == who.user_id,
                )
                .values(started_by="")
            )
            session.execute(delete(Person).where(Person.id == person.id))
        return True


def done_events(session: Session, person: Person) -> list[DoneEvent]:
    return [
        DoneEvent(c.completed_at, c.exercise_id, c.source)
        for c in session.scalars(select(Completion).where(Completion.person_id == person.id))
    ]


def _nudge_events(
    session: Session, person: Person, day_is_over: Callable[[datetime], bool]
) -> list[NudgeEvent]:
    """Sent nudges; one left unanswered when its work day ended counts as ignored."""
    events = []
    for nudge in session.scalars(
        select(Nudge).where(Nudge.person_id == person.id, Nudge.status == "sent")
    ):
        outcome = nudge.outcome
        if outcome is None and day_is_over(nudge.slot_at):
            outcome = "ignored"
        events.append(NudgeEvent(nudge.slot_at, outcome))
    return events
