"""Sending rows claimed with a lease — nudges, challenge days and results, weekly summaries — the
one way every tick step that posts does it: claim a small batch, wait for the workspace's turn,
renew the claim if the post could outlive it, post, and answer Slack's failures alike.

- Small claims (`CLAIM_BATCH`): a batch is sent well inside its lease even when Slack is slow.
- One pacer for every step that posts: the workspace has one budget, whoever spends it.
- Renewal: a claim whose lease runs out mid-post can be taken over by another instance, which
  would post it again; so with little lease left the claim is renewed before the post, and when
  it was lost meanwhile, nothing is posted.
- Failures (`bot.jobs.send_failures`): a 429 comes back due after its Retry-After; a 5xx or a lost
  answer comes back with a growing backoff (and the retry looks in the history first); a refused
  token stops the workspace. What becomes of the row then, and after a refusal with an error code
  of Slack's, the step decides (`_workspace_refused`, `_refused`).
- Any other exception while sending one row (bad data, a bug) is that row's alone (`_guarded`):
  logged in one line and retried with the same backoff, while the rest of the batch goes on.
- History check: every post carries its row id in message metadata, and a row claimed again
  (`attempts > 1`: a crash, a lost answer) looks for itself in the channel first (`_found`).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar, TypeVar

from slack_sdk import WebClient
from sqlalchemy import Row, Select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.languages import language_of_person, language_of_post
from bot.db.leases import LEASE, claim, finish, renew
from bot.db.models import ChallengeDay, ChallengeResult, GroupBreak, Nudge, Person, WeeklySummary
from bot.db.team_library import WorkspaceLibraries
from bot.db.workspaces import deactivate
from bot.domain.clock import Clock
from bot.jobs.send_failures import SEND_ERRORS, Failed, SendFailure, send_failure
from bot.slack.pacing import Pacer
from bot.slack.posting import find_posted

logger = logging.getLogger(__name__)

# Rows claimed at a time: small, so a batch is sent well inside its lease even when Slack is slow;
# a post whose lease could run out meanwhile renews it first.
CLAIM_BATCH = 20
# A post takes at most the client's timeout (15 s); with less lease than this left, renew first.
LEASE_LEFT_TO_POST = timedelta(seconds=60)
RETRY_BASE = timedelta(seconds=30)
RETRY_MAX = timedelta(minutes=10)

Claimed = Nudge | ChallengeDay | ChallengeResult | WeeklySummary | GroupBreak
Response = TypeVar("Response")
Sent = TypeVar("Sent")


@dataclass(frozen=True)
class Outcome:
    status: str  # the row's new status (sent, posted, dropped, …), or retry | held | lost
    note: str = ""


class ClaimedSends(ABC):
    """A tick step that sends the rows of `model` it claims; see the module docstring."""

    model: ClassVar[type[Claimed]]

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        libraries: WorkspaceLibraries,
        client_for: Callable[[int], WebClient],
        pacer: Pacer,
        instance: str,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._libraries = libraries
        self._client_for = client_for  # a workspace id's client
        self._pacer = pacer
        self.instance = instance  # who holds the claims: unique per process

    def _claimed_batches(self) -> Iterator[list[int]]:
        """Claim due rows a small batch at a time, until fewer than a batch were due."""
        while True:
            with self._sessions.begin() as session:
                claimed = claim(session, self.model, self.instance, self._clock.now(), CLAIM_BATCH)
            if claimed:
                yield claimed
            if len(claimed) < CLAIM_BATCH:
                return

    def _still_claimed(self, query: Select, ids: Sequence[int]) -> tuple[list[Row], list[Outcome]]:
        """The rows of `query` among `ids` that this instance still holds, detached, and a "lost"
        outcome for each of the others (another instance took them over)."""
        with self._sessions() as session:
            rows = session.execute(
                query.where(self.model.id.in_(ids), self.model.claimed_by == self.instance)
            ).all()
            session.expunge_all()
        return list(rows), [Outcome("lost", "claim taken over")] * (len(ids) - len(rows))

    def _paced_post(
        self, row: Claimed, workspace_id: int, channel: str, post: Callable[[], Response]
    ) -> Response | Outcome:
        """`post()` once the workspace's budget and the channel allow it, if the claim is still
        this instance's; a "lost" outcome if it is not."""
        self._pacer.wait_turn(str(workspace_id), channel)
        if not self._lease_covers_a_post(row):  # the wait may have outlived the lease
            return Outcome("lost", "claim expired before posting")
        return post()

    def _lease_covers_a_post(self, row: Claimed) -> bool:
        """True when the claim will outlast a post, renewing it first if it might not; False
        when it was lost meanwhile (another instance took the row over): then do not post."""
        now = self._clock.now()
        if row.lease_until and row.lease_until - now >= LEASE_LEFT_TO_POST:
            return True
        with self._sessions.begin() as session:
            if not renew(session, self.model, row.id, self.instance, now):
                return False
        row.lease_until = now + LEASE
        return True

    def _send_due(self, query: Select, send: Callable[..., Outcome]) -> Counter[str]:
        """Claim due rows a batch at a time and `send(*row)` each row of `query` (the claimed
        row first, then what its post needs) this instance still holds; counts the outcomes."""
        done: Counter[str] = Counter()
        for claimed in self._claimed_batches():
            rows, outcomes = self._still_claimed(query, claimed)
            outcomes.extend(send(*row) for row in rows)
            done.update(outcome.status for outcome in outcomes)
        return done

    def _guarded(
        self, row: Claimed, workspace_id: int, send: Callable[..., Sent], *args: Any
    ) -> Sent | Outcome:
        """`send(*args)` for one row, its failure settled for that row alone: Slack's failures
        as `_send_failed` says, any other exception (bad data, a bug) logged in one line — no
        stack trace — and retried with backoff, so that it never fails the rest of the batch."""
        try:
            return send(*args)
        except SEND_ERRORS as error:
            return self._send_failed(row, workspace_id, error)
        except Exception as error:
            problem = f"{type(error).__name__}: {error}"
            logger.error("%s %s not sent: %s", self.model.__tablename__, row.id, problem)
            return self._retry(row, problem)

    def _post_language(self, started_in: str | None, workspace_id: int) -> str:
        """A channel post's language: its starter's, else the workspace default."""
        with self._sessions() as session:
            return language_of_post(session, started_in, workspace_id)

    def _person_language(self, person: Person) -> str:
        """The language of a post to `person` alone."""
        with self._sessions() as session:
            return language_of_person(session, person)

    def _found(
        self,
        row: Claimed,
        client: WebClient,
        channel: str,
        event_type: str,
        key: str,
        thread_ts: str | None = None,
    ) -> str | None:
        """The `ts` of this row's message if an earlier claim of it already posted it (it carries
        `{key: row.id}` in its metadata; in the thread `thread_ts` if given), so that it is
        recorded rather than posted again."""
        if row.attempts <= 1:
            return None
        return find_posted(client, channel, event_type, key, row.id, thread_ts)

    def _found_in_dm(
        self, row: Claimed, client: WebClient, user: str, event_type: str, key: str
    ) -> tuple[str, str] | None:
        """`_found` in a person's DM, whose channel id conversations.open gives: (channel, ts)."""
        if row.attempts <= 1:
            return None
        channel = client.conversations_open(users=user)["channel"]["id"]
        ts = self._found(row, client, channel, event_type, key)
        return (channel, ts) if ts else None

    def _send_failed(self, row: Claimed, workspace_id: int, error: Exception) -> Outcome:
        """Give the row back or settle it after a failed send (`error` is one of SEND_ERRORS)."""
        failure = send_failure(error)
        if failure.kind is Failed.RATE_LIMITED:
            return self._retry(row, failure.note, failure.retry_after)
        if failure.kind is Failed.MAYBE_POSTED:
            return self._retry(row, failure.note)
        if failure.kind is Failed.WORKSPACE_REFUSED:
            deactivate(self._sessions, workspace_id)
            return self._workspace_refused(row, failure.note)
        return self._refused(row, failure)

    @abstractmethod
    def _workspace_refused(self, row: Claimed, note: str) -> Outcome:
        """Settle the row of a workspace just stopped (uninstalled, or its token refused)."""

    @abstractmethod
    def _refused(self, row: Claimed, failure: SendFailure) -> Outcome:
        """Settle the row after Slack refused the send with an error code."""

    def _retry(self, row: Claimed, note: str, wait: timedelta | None = None) -> Outcome:
        """Back to pending, due after `wait` (a 429's Retry-After) or a backoff that doubles with
        each attempt."""
        if wait is None:
            wait = min(RETRY_BASE * 2 ** max(row.attempts - 1, 0), RETRY_MAX)
        self._finish(row, "pending", f"retry: {note}", due_at=self._clock.now() + wait)
        return Outcome("retry", note)

    def _finish(self, row: Claimed, status: str, note: str = "", **values: Any) -> Outcome:
        """Record the row's new status, only while this instance still holds the claim. Nudges
        keep the note; challenge days have no column for it, and it is logged instead."""
        if hasattr(self.model, "note"):
            values["note"] = note or None
        elif note:
            logger.warning("%s %s: %s", self.model.__tablename__, row.id, note)
        with self._sessions.begin() as session:
            kept = finish(session, self.model, row.id, self.instance, status=status, **values)
        if not kept:
            logger.warning(
                "%s %s: claim lost before recording %s", self.model.__tablename__, row.id, status
            )
            return Outcome("lost", status)
        return Outcome(status, note)
