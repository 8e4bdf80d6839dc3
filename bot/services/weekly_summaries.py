"""The weekly summary: a tick step that DMs each opted-in person a comparison of this week with
the last, at the end of their last work day of the week."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.stats import weekly_summary_message
from bot.clock import Clock
from bot.db.models import Person, Workspace
from bot.progress import compare_weeks, local_days, streaks
from bot.reminders.person_schedule import schedule_for
from bot.schedule import local_date, work_day_end
from bot.services.progress import done_events
from bot.workspaces import WorkspaceUnavailable

logger = logging.getLogger(__name__)


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
            days = local_days(done_events(session, person), schedule.tz)
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
