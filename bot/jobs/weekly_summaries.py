"""The weekly summary: a tick step that DMs each opted-in person a comparison of this week with
the last, at the end of their last work day of the week — unless every work day of that week was
a day off (planned time off or public holidays), when there is nothing to sum up.

Two halves. Falling due: the step reads only the people whose `weekly_summary_due_at` has come
(an index range) and moves each one's column on to the next summary's time by compare-and-set —
so two instances never both handle a person — writing, in the same transaction, a
`WeeklySummary` row for the week, unique on (person, week), so each week gets one summary even if
the column is set back. People found not due after all (settings changed, a backfilled row),
deactivated or in an uninstalled workspace have their column moved on without a row, so due
rows never pile up in the index.

Sending: the rows are claimed and sent the way nudges are (`bot.jobs.claimed_sends`): a lease, the
workspace's one send budget, Retry-After, backoff, a refused token stopping the workspace, the
row id in message metadata and a look in the DM before a retry posts again. Claiming before
posting once meant a crash right after the claim skipped the week; now the row waits for its
lease to run out and is sent then, once.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import Select, select, update

from bot.blocks.message import Message
from bot.blocks.stats import weekly_summary_message
from bot.db.days_off import days_off_of
from bot.db.models import Person, WeeklySummary, Workspace
from bot.db.people import schedule_for
from bot.db.writes import insert_if_absent
from bot.domain.days_off import week_spent_off
from bot.domain.i18n import speaking
from bot.domain.progress import compare_weeks, local_days, streaks
from bot.domain.schedule import local_date
from bot.domain.weekly_summaries import next_summary_due_at, summary_day, summary_due_week
from bot.jobs.claimed_sends import ClaimedSends, Outcome
from bot.jobs.send_failures import SendFailure
from bot.services.progress import done_events
from bot.slack.posting import tagged

logger = logging.getLogger(__name__)

BATCH = 200
METADATA_EVENT = "stretch_weekly_summary"

# Read per person rather than joined: a join lets SQLite drive the query from the workspace's
# people instead of the due-time index (see docs/benchmarks.md, fix I).
_WORKSPACE_ACTIVE = (
    select(Workspace.active).where(Workspace.id == Person.workspace_id).scalar_subquery()
)
_SUMMARIES_TO_SEND = select(WeeklySummary, Person).join(
    Person, Person.id == WeeklySummary.person_id
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


class WeeklySummaries(ClaimedSends):
    """A tick step: at the end of each opted-in person's last work day of the week, one DM
    comparing this week with the last; see the module docstring."""

    name = "weekly summaries"
    model = WeeklySummary

    def run(self) -> Counter[str]:
        due = self._fall_due(self._clock.now())
        return Counter(due=due) + self._send_due(_SUMMARIES_TO_SEND, self._guarded_send)

    # --- falling due -------------------------------------------------------------------------

    def _fall_due(self, now: datetime) -> int:
        """Write the summary rows of the people due now; returns how many were written."""
        written = 0
        while True:
            batch = self._due(now)
            claimed = 0
            for person, workspace_active in batch:
                won, wrote = self._claim(person, workspace_active, now)
                claimed += won
                written += wrote
            # Fewer than a batch: none left. None claimed: another instance is on these rows.
            if len(batch) < BATCH or not claimed:
                return written

    def _due(self, now: datetime) -> list[tuple[Person, bool]]:
        with self._sessions() as session:
            rows = session.execute(due_for_summary(now))
            return [(person, bool(active)) for person, active in rows]

    def _claim(self, person: Person, workspace_active: bool, now: datetime) -> tuple[bool, bool]:
        """Move the person's due time on to the next summary and, if one is due, write its row.
        Returns whether this instance moved it (not another one first), and whether it wrote a
        row."""
        schedule = schedule_for(person)
        week = summary_due_week(schedule, now)
        wanted = (
            week is not None
            and week != person.weekly_summary_sent_for
            and person.deactivated_at is None
            and workspace_active
            and not self._spent_off(person, schedule.work_days, local_date(schedule, now))
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
                return bool(won), False
            wrote = insert_if_absent(
                session,
                WeeklySummary,
                {
                    "person_id": person.id,
                    "week": week,
                    "due_at": now,
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                },
                ["person_id", "week"],
            )
            return True, wrote

    def _spent_off(self, person: Person, work_days: frozenset[int], today: date) -> bool:
        """A week whose every work day was off (time off, public holidays) gets no summary."""
        with self._sessions() as session:
            days_off = days_off_of(session, person, since=today - timedelta(days=6))
        return week_spent_off(work_days, today, days_off)

    # --- sending -----------------------------------------------------------------------------

    def _guarded_send(self, summary: WeeklySummary, person: Person) -> Outcome:
        return self._guarded(summary, person.workspace_id, self._send, summary, person)

    def _send(self, summary: WeeklySummary, person: Person) -> Outcome:
        if person.deactivated_at is not None or not person.weekly_summary:
            return self._finish(summary, "dropped", "summaries turned off or account deactivated")
        client = self._client_for(person.workspace_id)
        user = person.slack_user_id
        found = self._found_in_dm(summary, client, user, METADATA_EVENT, "summary_id")
        if found:
            return self._sent(summary, *found)
        with speaking(self._person_language(person), person.slack_locale):
            message = self._message(summary, person)
        response = self._paced_post(
            summary,
            person.workspace_id,
            user,
            lambda: client.chat_postMessage(
                channel=user,
                metadata=tagged(METADATA_EVENT, "summary_id", summary.id),
                **message.as_kwargs(),
            ),
        )
        if isinstance(response, Outcome):
            return response
        return self._sent(summary, response["channel"], response["ts"])

    def _message(self, summary: WeeklySummary, person: Person) -> Message:
        """The week as it stood when the summary fell due, even when it is sent later."""
        schedule = schedule_for(person)
        today = summary_day(schedule, summary.week)
        with self._sessions() as session:
            days = local_days(done_events(session, person), schedule.tz)
            days_off = days_off_of(session, person)
        rest = days_off.between(min(days, default=today), today)
        return weekly_summary_message(
            compare_weeks(days, today), streaks(days, schedule.work_days, today, rest)
        )

    def _sent(self, summary: WeeklySummary, channel: str, ts: str) -> Outcome:
        return self._finish(summary, "sent", channel=channel, ts=ts, sent_at=self._clock.now())

    def _workspace_refused(self, summary: WeeklySummary, note: str) -> Outcome:
        return self._finish(summary, "dropped", note)

    def _refused(self, summary: WeeklySummary, failure: SendFailure) -> Outcome:
        logger.warning("weekly summary %s not sent: %s", summary.id, failure.note)
        return self._finish(summary, "failed", failure.note)
