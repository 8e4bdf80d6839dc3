"""Progress use cases: the numbers behind `/stretch stats` and the Home tab, the weekly summary,
and forgetting someone completely."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.db.days_off import days_off_of
from bot.db.models import (
    Challenge,
    ChallengeMember,
    Completion,
    Nudge,
    Pause,
    Person,
)
from bot.db.people import find_person, schedule_for
from bot.db.team_library import WorkspaceLibraries, hand_over_authored
from bot.domain.challenges import ChallengeEntry
from bot.domain.clock import Clock
from bot.domain.content import Library, localized
from bot.domain.days_off import DaysOffOverview
from bot.domain.people import SlackUser
from bot.domain.preferences import Preferences
from bot.domain.progress import (
    DoneEvent,
    NudgeEvent,
    PausedSpan,
    ProgressView,
    progress_view,
)
from bot.domain.reminders import ReminderStatus
from bot.domain.schedule import local_date
from bot.services.days_off import overview_of
from bot.services.reminders import reminder_status


@dataclass(frozen=True)
class HomeContent:
    """What the App Home shows about one person (no reminders, no progress yet for someone
    new)."""

    reminders: ReminderStatus | None
    progress: ProgressView
    challenges: list[ChallengeEntry]
    days_off: DaysOffOverview | None = None


class ProgressService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        libraries: WorkspaceLibraries,
        defaults: Preferences,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._libraries = libraries
        self._defaults = defaults

    def view(self, who: SlackUser) -> ProgressView:
        """The person's progress; someone the app has not met yet gets an empty one."""
        now = self._clock.now()
        with self._sessions() as session:
            person = find_person(session, who)
            return self._empty(now) if person is None else self._view(session, person, now)

    def home(self, who: SlackUser) -> HomeContent:
        """Everything the Home tab shows about the person, from one lookup in one session: it is
        published after every Done click."""
        now = self._clock.now()
        with self._sessions() as session:
            person = find_person(session, who)
            if person is None:
                return HomeContent(None, self._empty(now), [])
            return HomeContent(
                reminder_status(person),
                self._view(session, person, now),
                _challenges(session, person),
                overview_of(session, person, now),
            )

    def _empty(self, now: datetime) -> ProgressView:
        return progress_view(
            [],
            [],
            [],
            tz="UTC",
            work_days=self._defaults.work_pattern.work_days,
            now=now,
            titles=_titles(self._libraries.seed),
        )

    def _view(self, session: Session, person: Person, now: datetime) -> ProgressView:
        schedule = schedule_for(person)
        today = local_date(schedule, now)
        return progress_view(
            done_events(session, person),
            _nudge_events(session, person, lambda slot: local_date(schedule, slot) < today),
            [
                PausedSpan(start, end)
                for start, end in session.execute(
                    select(Pause.start, Pause.end).where(Pause.person_id == person.id)
                )
            ],
            tz=schedule.tz,
            work_days=schedule.work_days,
            now=now,
            titles=_titles(self._libraries.of_workspace(person.workspace_id, session)),
            days_off=days_off_of(session, person),
        )

    def forget(self, who: SlackUser) -> bool:
        """Delete everything stored about the person (their rows cascade) and stop nudges.
        Challenges they started stay for the others, without their name; exercises they added
        to the team library stay for the team, "Added by a former member"."""
        with self._sessions.begin() as session:
            handed_over = hand_over_authored(session, who)
            person = find_person(session, who)
            if person is None:
                return handed_over > 0
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


def _titles(library: Library) -> dict[str, str]:
    """Each activity's title in the language being spoken."""
    return {a.id: localized(a).title for a in (*library.exercises, *library.tips)}


def done_events(session: Session, person: Person) -> list[DoneEvent]:
    """Every Done of the person. Only the columns needed: loading whole rows as ORM objects
    costs several times as much, and a year of history holds over a thousand."""
    rows = session.execute(
        select(Completion.completed_at, Completion.exercise_id, Completion.source).where(
            Completion.person_id == person.id
        )
    )
    return [DoneEvent(at, activity_id, source) for at, activity_id, source in rows]


def _nudge_events(
    session: Session, person: Person, day_is_over: Callable[[datetime], bool]
) -> list[NudgeEvent]:
    """Sent nudges; one left unanswered when its work day ended counts as ignored."""
    rows = session.execute(
        select(Nudge.slot_at, Nudge.outcome).where(
            Nudge.person_id == person.id, Nudge.status == "sent"
        )
    )
    return [
        NudgeEvent(slot_at, "ignored" if outcome is None and day_is_over(slot_at) else outcome)
        for slot_at, outcome in rows
    ]


def _challenges(session: Session, person: Person) -> list[ChallengeEntry]:
    """The challenges the person is in, newest first."""
    rows = session.execute(
        select(Challenge.channel_id, Challenge.status)
        .join(ChallengeMember, ChallengeMember.challenge_id == Challenge.id)
        .where(ChallengeMember.person_id == person.id, ChallengeMember.active.is_(True))
        .order_by(Challenge.created_at.desc())
        .limit(5)
    )
    return [ChallengeEntry(channel, status == "active") for channel, status in rows]
