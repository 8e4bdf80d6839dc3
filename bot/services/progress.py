"""Progress use cases: the numbers behind `/stretch stats` and the Home tab, the weekly summary,
and forgetting someone completely."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.stats import weekly_summary_message
from bot.clock import Clock
from bot.content import Library
from bot.db.models import (
    Challenge,
    ChallengeMember,
    Completion,
    Nudge,
    Pause,
    Person,
    Workspace,
)
from bot.preferences import Preferences
from bot.progress import (
    DoneEvent,
    NudgeEvent,
    PausedSpan,
    ProgressView,
    compare_weeks,
    local_days,
    progress_view,
    streaks,
)
from bot.reminders.person_schedule import schedule_for
from bot.schedule import local_date, work_day_end
from bot.services.people import SlackUser, find_person
from bot.workspaces import WorkspaceUnavailable

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
            _done_events(session, person),
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


def _done_events(session: Session, person: Person) -> list[DoneEvent]:
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


class WeeklySummaries:
    """A tick step: at the end of each opted-in person's last work day of the week, one DM
    comparing this week with the last. Claimed by compare-and-set on the week, so two instances
    never send it twice (a crash right after the claim skips that week's summary)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        client_for: Callable[[Person], WebClient],
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._client_for = client_for

    def __call__(self) -> int:
        now = self._clock.now()
        with self._sessions() as session:
            due = [
                (p.id, week)
                for p in session.scalars(
                    select(Person)
                    .join(Workspace)
                    .where(
                        Person.weekly_summary.is_(True),
                        Person.deactivated_at.is_(None),
                        Workspace.active.is_(True),
                    )
                )
                if (week := _summary_due(p, now)) and p.weekly_summary_sent_for != week
            ]
        return sum(self._send(person_id, week, now) for person_id, week in due)

    def _send(self, person_id: int, week: str, now: datetime) -> bool:
        with self._sessions.begin() as session:
            claimed = session.execute(
                update(Person)
                .where(
                    Person.id == person_id,
                    (Person.weekly_summary_sent_for.is_(None))
                    | (Person.weekly_summary_sent_for != week),
                )
                .values(weekly_summary_sent_for=week)
            ).rowcount
            person = session.get(Person, person_id)
            if not claimed or person is None:
                return False
            schedule = schedule_for(person)
            today = local_date(schedule, now)
            days = local_days(_done_events(session, person), schedule.tz)
            message = weekly_summary_message(
                compare_weeks(days, today), streaks(days, schedule.work_days, today)
            )
            session.expunge(person)
        try:
            self._client_for(person).chat_postMessage(
                channel=person.slack_user_id, **message.as_kwargs()
            )
        except (SlackApiError, SlackClientError, OSError, WorkspaceUnavailable) as error:
            logger.warning("weekly summary for person %s not sent: %s", person_id, error)
            return False
        return True


def _summary_due(person: Person, now: datetime) -> str | None:
    """The ISO week whose summary is due now: after work on the week's last work day."""
    schedule = schedule_for(person)
    today = local_date(schedule, now)
    if today.weekday() != max(schedule.work_days):
        return None
    day_end = work_day_end(schedule, now)
    if day_end is not None:  # still at work
        return None
    local_now = now.astimezone(schedule.zone)
    if local_now.time() < schedule.end:
        return None
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"
