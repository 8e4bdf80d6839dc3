"""The weekly summary: a tick step that DMs each opted-in person a comparison of this week with
the last, at the end of their last work day of the week."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.message import Message
from bot.blocks.stats import weekly_summary_message
from bot.db.models import Person, Workspace
from bot.db.people import schedule_for
from bot.db.workspaces import deactivate
from bot.domain.clock import Clock
from bot.domain.progress import compare_weeks, local_days, streaks
from bot.domain.schedule import local_date
from bot.domain.weekly_summaries import next_summary_due_at, summary_due_week
from bot.jobs.send_failures import SEND_ERRORS, Failed, send_failure
from bot.services.progress import done_events
from bot.slack.pacing import Pacer

logger = logging.getLogger(__name__)

BATCH = 200

# Read per person rather than joined: a join lets SQLite drive the query from the workspace's
# people instead of the due-time index (see docs/benchmarks.md, fix I).
_WORKSPACE_ACTIVE = (
    select(Workspace.active).where(Workspace.id == Person.workspace_id).scalar_subquery()
)


def due_for_summary(now: datetime) -> Select[tuple[Person, bool | None]]:
    """The first batch of people whose summary time has come, each with whether their workspace
    is active: a range of the `weekly_summary_due_at` index, whoever else has summaries on."""
    return (
        select(Person, _WORKSPACE_ACTIVE)
        .where(Person.weekly_summary_due_at <= now, Person.weekly_summary.is_(True))
        .order_by(Person.weekly_summary_due_at)
        .limit(BATCH)
    )


class WeeklySummaries:
    """A tick step: at the end of each opted-in person's last work day of the week, one DM
    comparing this week with the last.

    Reads only the people whose `weekly_summary_due_at` has come (an index range), and claims
    each by a compare-and-set that moves that column to the next summary's time, so two instances
    never both handle a person; the claim also records the week sent, so each week gets one
    summary even if the column is set back. A crash right after the claim skips that week's
    summary; a 429 gives the claim back, to try again after its Retry-After. People found not
    due after all (settings changed, a backfilled row), deactivated or in an uninstalled
    workspace have their column moved on without a DM, so due rows never pile up in the index.
    Summaries are DMs like nudges: they wait for their turn in the same send budget, and a
    refused token stops the workspace (`bot.jobs.send_failures`).
    """

    name = "weekly summaries"

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        client_for: Callable[[int], WebClient],
        pacer: Pacer,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._client_for = client_for
        self._pacer = pacer

    def run(self) -> Counter[str]:
        now = self._clock.now()
        sent = 0
        while True:
            batch = self._due(now)
            claimed = 0
            for person, workspace_active in batch:
                won, summary = self._claim(person, workspace_active, now)
                claimed += won
                if summary is not None:
                    sent += self._post(person, summary)
            # Fewer than a batch: none left. None claimed: another instance is on these rows.
            if len(batch) < BATCH or not claimed:
                return Counter(sent=sent)

    def _due(self, now: datetime) -> list[tuple[Person, bool]]:
        with self._sessions() as session:
            rows = session.execute(due_for_summary(now))
            return [(person, bool(active)) for person, active in rows]

    def _claim(
        self, person: Person, workspace_active: bool, now: datetime
    ) -> tuple[bool, Summary | None]:
        """Move the person's due time on to the next summary. Returns whether this instance did
        (not another one first), and the summary to send them if one is due."""
        schedule = schedule_for(person)
        week = summary_due_week(schedule, now)
        wanted = (
            week is not None
            and week != person.weekly_summary_sent_for
            and person.deactivated_at is None
            and workspace_active
        )
        claim = update(Person).where(
            Person.id == person.id,
            Person.weekly_summary_due_at == person.weekly_summary_due_at,
        )
        if wanted:
            claim = claim.where(
                Person.weekly_summary_sent_for.is_(None) | (Person.weekly_summary_sent_for != week)
            ).values(weekly_summary_sent_for=week)
        with self._sessions.begin() as session:
            won = session.execute(
                claim.values(weekly_summary_due_at=next_summary_due_at(schedule, now))
            ).rowcount
            if not (won and wanted):
                return bool(won), None
            today = local_date(schedule, now)
            days = local_days(done_events(session, person), schedule.tz)
            message = weekly_summary_message(
                compare_weeks(days, today), streaks(days, schedule.work_days, today)
            )
            return True, Summary(week, message)

    def _post(self, person: Person, summary: Summary) -> bool:
        try:
            client = self._client_for(person.workspace_id)
            self._pacer.wait_turn(str(person.workspace_id), person.slack_user_id)
            client.chat_postMessage(channel=person.slack_user_id, **summary.message.as_kwargs())
        except SEND_ERRORS as error:
            failure = send_failure(error)
            if failure.kind is Failed.RATE_LIMITED:
                self._give_back(person, summary.week, self._clock.now() + failure.retry_after)
            elif failure.kind is Failed.WORKSPACE_REFUSED:
                deactivate(self._sessions, person.workspace_id)
            logger.warning("weekly summary for person %s not sent: %s", person.id, failure.note)
            return False
        return True

    def _give_back(self, person: Person, week: str, retry_at: datetime) -> None:
        """Undo the claim after a 429 — Slack posted nothing — so the summary is tried again at
        `retry_at` (if that is still the week's last work day for the person). Only a 429 is
        certain not to have posted: after an error or a lost answer the summary may be in the
        DM, and it is not sent again."""
        with self._sessions.begin() as session:
            session.execute(
                update(Person)
                .where(Person.id == person.id, Person.weekly_summary_sent_for == week)
                .values(
                    weekly_summary_sent_for=person.weekly_summary_sent_for,
                    weekly_summary_due_at=retry_at,
                )
            )


@dataclass(frozen=True)
class Summary:
    """A claimed week's summary, to post."""

    week: str
    message: Message
