"""Delivering one claimed nudge: make sure it was not already posted by an earlier attempt,
check it is still wanted and the person is free, post it, and mark it sent — only while the
claim is still ours.

Slack has no idempotency key for `chat.postMessage`. A post that succeeded just before a crash
(or whose answer was lost: a timeout, a dropped connection, a 5xx after the fact) would be posted
again by the next attempt, so every nudge carries its id in message metadata, and a retried nudge
first looks for it in the DM. For the same reason the client given here must not resend posts on
its own (only 429s, which Slack answers before doing anything): the retry belongs to this module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.nudge import METADATA_EVENT, metadata, nudge_message
from bot.db.availability import apply_dnd, apply_user, availability_of
from bot.db.leases import LEASE, finish, finish_each, renew
from bot.db.models import Nudge, Person
from bot.db.people import schedule_for
from bot.domain.availability import busy, hold_until
from bot.domain.clock import Clock
from bot.domain.content import Library
from bot.domain.schedule import is_work_time, work_day_end
from bot.slack.errors import error_code, rate_limited_for
from bot.slack.pacing import Pacer
from bot.slack.posting import find_posted
from bot.slack.workspaces import TOKEN_REFUSED, WorkspaceUnavailable, deactivate

logger = logging.getLogger(__name__)

AVAILABILITY_MAX_AGE = timedelta(hours=6)
# The person is gone (the workspace's token problems are `bot.slack.workspaces.TOKEN_REFUSED`).
GONE_ERRORS = {"user_not_found", "user_disabled", "cannot_dm_bot"}
RETRY_BASE = timedelta(seconds=30)
RETRY_MAX = timedelta(minutes=10)
# A post takes at most the client's timeout (15 s); with less lease than this left, renew first.
LEASE_LEFT_TO_POST = timedelta(seconds=60)


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | held | dropped | failed | retry | lost
    note: str = ""


@dataclass(frozen=True)
class Posted:
    """A nudge that is in the DM (just posted, or found there), to be recorded as sent."""

    nudge_id: int
    channel: str
    ts: str


class Deliverer:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        library: Library,
        client_for: Callable[[Person], WebClient],
        pacer: Pacer,
        instance: str,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._library = library
        self._client_for = client_for
        self._pacer = pacer
        self.instance = instance

    def deliver(self, nudge_ids: Sequence[int], posting: Executor) -> list[Outcome]:
        """Deliver a batch of claimed nudges on the `posting` threads, several at once: with
        Slack a round trip away, serial posts would bound an instance at a few nudges a second."""
        with self._sessions() as session:
            claimed = session.execute(
                select(Nudge, Person)
                .join(Person, Person.id == Nudge.person_id)
                .where(Nudge.id.in_(nudge_ids), Nudge.claimed_by == self.instance)
            ).all()
            session.expunge_all()
        outcomes = [Outcome("lost", "claim taken over")] * (len(nudge_ids) - len(claimed))
        results = list(posting.map(lambda row: self._deliver_claimed(*row), claimed))
        outcomes.extend(result for result in results if isinstance(result, Outcome))
        outcomes.extend(
            self._record_sent([result for result in results if isinstance(result, Posted)])
        )
        return outcomes

    def _deliver_claimed(self, nudge: Nudge, person: Person) -> Outcome | Posted:
        try:
            client = self._client_for(person)
        except WorkspaceUnavailable as unavailable:
            deactivate(self._sessions, person.workspace_id)
            return self._finish(nudge, "dropped", str(unavailable))
        try:
            return self._deliver(client, nudge, person, self._clock.now())
        except SlackApiError as error:
            return self._slack_error(nudge, person, error)
        except (SlackClientError, OSError) as error:  # timeouts, refused connections
            return self._retry(nudge, f"network: {error}")

    def _deliver(
        self, client: WebClient, nudge: Nudge, person: Person, now: datetime
    ) -> Outcome | Posted:
        # A reclaimed nudge may already be in the DM: then it was sent, whatever changed since.
        if nudge.attempts > 1:
            found = self._already_posted(client, person, nudge)
            if found:
                return self._sent(nudge, *found)
        reason = self._unwanted(nudge, person, now)
        if reason:
            return self._finish(nudge, "dropped", reason)
        person = self._fresh_availability(client, person, now)
        if person.deactivated_at:
            return self._finish(nudge, "failed", "Slack account is deactivated")
        reason_busy = busy(availability_of(person), now)
        if reason_busy:
            return self._hold(nudge, person, reason_busy, now)
        return self._post(client, nudge, person)

    def _unwanted(self, nudge: Nudge, person: Person, now: datetime) -> str | None:
        if not person.reminders_on:
            return "reminders turned off"
        if person.deactivated_at:
            return "Slack account is deactivated"
        if person.paused_until and person.paused_until > now:
            return "paused"
        if not is_work_time(schedule_for(person), now):
            return "outside work hours"
        return None

    def _fresh_availability(self, client: WebClient, person: Person, now: datetime) -> Person:
        """Refresh the cached status and DND window when events may have been missed."""
        checked = person.availability_checked_at
        if checked and now - checked < AVAILABILITY_MAX_AGE:
            return person
        user = client.users_info(user=person.slack_user_id)["user"]
        dnd = client.dnd_info(user=person.slack_user_id).data
        with self._sessions.begin() as session:
            stored = session.get(Person, person.id)
            assert stored is not None
            apply_user(stored, user, now)
            apply_dnd(stored, dnd, now)
            session.flush()
            session.expunge(stored)
        return stored

    def _hold(self, nudge: Nudge, person: Person, reason, now: datetime) -> Outcome:
        """Deliver when they are free — if that is still inside today's work hours."""
        until = hold_until(reason, now)
        day_end = work_day_end(schedule_for(person), now)
        if reason.away or day_end is None or until >= day_end:
            return self._finish(nudge, "dropped", f"{reason.reason} until after work")
        self._finish(nudge, "pending", f"held: {reason.reason}", due_at=until)
        return Outcome("held", reason.reason)

    def _already_posted(
        self, client: WebClient, person: Person, nudge: Nudge
    ) -> tuple[str, str] | None:
        channel = client.conversations_open(users=person.slack_user_id)["channel"]["id"]
        ts = find_posted(client, channel, METADATA_EVENT, "nudge_id", nudge.id)
        return (channel, ts) if ts else None

    def _post(self, client: WebClient, nudge: Nudge, person: Person) -> Outcome | Posted:
        activity = self._library.exercise(nudge.exercise_id or "") or self._library.tip(
            nudge.tip_id or ""
        )
        if activity is None:
            return self._finish(nudge, "failed", "content no longer exists")
        message = nudge_message(
            nudge.id,
            activity,
            snoozed=nudge.kind == "snooze",
            backoff_interval=2 * person.interval_minutes if nudge.backoff_notice else None,
        )
        self._pacer.wait_turn(str(person.workspace_id), person.slack_user_id)
        if not self._lease_covers_a_post(nudge):  # the wait may have outlived the lease
            return Outcome("lost", "claim expired before posting")
        response = client.chat_postMessage(
            channel=person.slack_user_id, metadata=metadata(nudge.id), **message.as_kwargs()
        )
        return self._sent(nudge, response["channel"], response["ts"])

    def _lease_covers_a_post(self, nudge: Nudge) -> bool:
        """True when the claim will outlast a post, renewing it first if it might not; False
        when it was lost meanwhile (another instance took the nudge over): then do not post."""
        now = self._clock.now()
        if nudge.lease_until and nudge.lease_until - now >= LEASE_LEFT_TO_POST:
            return True
        with self._sessions.begin() as session:
            if not renew(session, Nudge, nudge.id, self.instance, now):
                return False
        nudge.lease_until = now + LEASE
        return True

    def _sent(self, nudge: Nudge, channel: str, ts: str) -> Posted:
        return Posted(nudge.id, channel, ts)

    def _record_sent(self, posted: list[Posted]) -> list[Outcome]:
        """Mark a batch's posted nudges sent in one write. Until then a crash leaves them
        claimed, and whoever reclaims them finds them in the DM history."""
        if not posted:
            return []
        with self._sessions.begin() as session:
            kept = finish_each(
                session,
                Nudge,
                self.instance,
                {p.nudge_id: {"channel": p.channel, "ts": p.ts} for p in posted},
                status="sent",
                note=None,
                sent_at=self._clock.now(),
            )
        for lost in sorted({p.nudge_id for p in posted} - kept):
            logger.warning("nudge %s: claim lost before recording sent", lost)
        return [Outcome("sent") if p.nudge_id in kept else Outcome("lost", "sent") for p in posted]

    def _slack_error(self, nudge: Nudge, person: Person, error: SlackApiError) -> Outcome:
        code = error_code(error)
        wait = rate_limited_for(error)
        if wait is not None:
            return self._retry(nudge, "rate limited", wait)
        if code in TOKEN_REFUSED:  # the workspace's token, not the person: stop the workspace
            deactivate(self._sessions, person.workspace_id)
            return self._finish(nudge, "dropped", f"workspace token refused: {code}")
        if code in GONE_ERRORS:
            with self._sessions.begin() as session:
                stored = session.get(Person, person.id)
                if stored is not None:
                    stored.deactivated_at = self._clock.now()
            return self._finish(nudge, "failed", f"Slack: {code}")
        if error.response is not None and error.response.status_code >= 500:
            return self._retry(nudge, f"Slack {error.response.status_code}")
        logger.error("nudge %s failed: %s", nudge.id, code)
        return self._finish(nudge, "failed", f"Slack: {code}")

    def _retry(self, nudge: Nudge, note: str, wait: timedelta | None = None) -> Outcome:
        if wait is None:
            wait = min(RETRY_BASE * 2 ** max(nudge.attempts - 1, 0), RETRY_MAX)
        self._finish(nudge, "pending", f"retry: {note}", due_at=self._clock.now() + wait)
        return Outcome("retry", note)

    def _finish(self, nudge: Nudge, status: str, note: str, **values: object) -> Outcome:
        with self._sessions.begin() as session:
            kept = finish(
                session, Nudge, nudge.id, self.instance, status=status, note=note or None, **values
            )
        if not kept:
            logger.warning("nudge %s: claim lost before recording %s", nudge.id, status)
            return Outcome("lost", status)
        return Outcome(status, note)
