"""Delivering one claimed nudge: make sure it was not already posted by an earlier attempt,
check it is still wanted and the person is free, post it, and mark it sent — only while the
claim is still ours.

Slack has no idempotency key for `chat.postMessage`. A post that succeeded just before a crash
(or whose answer was lost: a timeout, a dropped connection, a 5xx after the fact) would be posted
again by the next attempt, so every nudge carries its id in message metadata, and a retried nudge
first looks for it in the DM. For the same reason the client given here must not resend posts on
its own: the retry belongs to the step (claiming, pacing, renewal and backoff are the ones
challenge days share, in `bot.jobs.claimed_sends`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import select

from bot.blocks.nudge import METADATA_EVENT, metadata, nudge_message
from bot.db.availability import apply_dnd, apply_user, availability_of
from bot.db.fit import restrictions_of, tastes_of
from bot.db.leases import finish_each
from bot.db.models import Nudge, Person
from bot.db.nudges import HELD, release_held
from bot.db.people import schedule_for
from bot.domain.availability import Busy, busy, hold_until
from bot.domain.content import Activity, Library, Tip
from bot.domain.fit import Fit, break_reason
from bot.domain.i18n import speaking
from bot.domain.presence import AWAY, AWAY_FROM_DESK, away_from_desk, still_away_past
from bot.domain.schedule import is_work_time, work_day_end
from bot.jobs.claimed_sends import ClaimedSends, Outcome
from bot.jobs.send_failures import SendFailure
from bot.slack.presence import PresenceChecks

logger = logging.getLogger(__name__)

AVAILABILITY_MAX_AGE = timedelta(hours=6)
# The person is gone (the workspace's token problems are `bot.slack.workspaces.TOKEN_REFUSED`).
GONE_ERRORS = {"user_not_found", "user_disabled", "cannot_dm_bot"}
# Posts in flight at once per instance: Slack's answer takes a round trip, the work is small.
POSTING_THREADS = 4


@dataclass(frozen=True)
class Posted:
    """A nudge that is in the DM (just posted, or found there), to be recorded as sent."""

    nudge_id: int
    channel: str
    ts: str


class NudgeDelivery(ClaimedSends):
    """A tick step: claims due nudges twenty at a time and delivers each batch from a few
    posting threads, until none is due."""

    name = "nudge delivery"
    model = Nudge

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._presence = PresenceChecks(self._clock)

    def run(self) -> Counter[str]:
        done: Counter[str] = Counter()
        with ThreadPoolExecutor(POSTING_THREADS, thread_name_prefix="post") as posting:
            for claimed in self._claimed_batches():
                done.update(outcome.status for outcome in self._deliver(claimed, posting))
        return done

    def _deliver(self, nudge_ids: Sequence[int], posting: Executor) -> list[Outcome]:
        """Deliver a batch of claimed nudges on the `posting` threads, several at once: with
        Slack a round trip away, serial posts would bound an instance at a few nudges a second."""
        claimed, outcomes = self._still_claimed(
            select(Nudge, Person).join(Person, Person.id == Nudge.person_id), nudge_ids
        )
        results = list(posting.map(lambda row: self._deliver_claimed(*row), claimed))
        outcomes.extend(result for result in results if isinstance(result, Outcome))
        outcomes.extend(
            self._record_sent([result for result in results if isinstance(result, Posted)])
        )
        return outcomes

    def _deliver_claimed(self, nudge: Nudge, person: Person) -> Outcome | Posted:
        """One nudge of the batch; whatever goes wrong with it is its own (`_guarded`), so the
        batch's other nudges are still posted and recorded."""
        return self._guarded(nudge, person.workspace_id, self._deliver_one, nudge, person)

    def _deliver_one(self, nudge: Nudge, person: Person) -> Outcome | Posted:
        client, now = self._client_for(person.workspace_id), self._clock.now()
        # A reclaimed nudge may already be in the DM: then it was sent, whatever changed since.
        found = self._found_in_dm(nudge, client, person.slack_user_id, METADATA_EVENT, "nudge_id")
        if found:
            return self._sent(nudge, *found)
        reason = self._unwanted(nudge, person, now)
        if reason:
            return self._finish(nudge, "dropped", reason)
        person = self._fresh_availability(client, person, now)
        if person.deactivated_at:
            return self._finish(nudge, "failed", "Slack account is deactivated")
        reason_busy = busy(availability_of(person), now) or away_from_desk(
            self._presence.presence(client, person.workspace_id, person.slack_user_id)
        )
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
        user = client.users_info(user=person.slack_user_id, include_locale=True)["user"]
        dnd = client.dnd_info(user=person.slack_user_id).data
        with self._sessions.begin() as session:
            stored = session.get(Person, person.id)
            assert stored is not None
            apply_user(stored, user, now)
            apply_dnd(stored, dnd, now)
            session.flush()
            session.expunge(stored)
        return stored

    def _hold(self, nudge: Nudge, person: Person, reason: Busy, now: datetime) -> Outcome:
        """Deliver when they are free — if that is still inside today's work hours. Someone
        away from the desk until their next slot missed this one: it is recorded as away (not
        ignored, see `bot.domain.presence`)."""
        until = hold_until(reason, now)
        day_end = work_day_end(schedule_for(person), now)
        if reason == AWAY_FROM_DESK and still_away_past(until, person.next_nudge_at, day_end):
            note = f"{reason.reason} past the next slot"
            return self._finish(nudge, "dropped", note, outcome=AWAY, outcome_at=now)
        if reason.away or day_end is None or until >= day_end:
            return self._finish(nudge, "dropped", f"{reason.reason} until after work")
        self._finish(nudge, "pending", f"{HELD}{reason.reason}", due_at=until)
        self._release_if_freed_meanwhile(person.id, now)
        return Outcome("held", reason.reason)

    def _release_if_freed_meanwhile(self, person_id: int, now: datetime) -> None:
        """An event that freed the person while this nudge was claimed found nothing to release
        (`release_held` moves pending nudges only) and the hold just written would wait out the
        old reason: read the person again now that the nudge is held. An event after this read
        finds the nudge pending and releases it itself."""
        with self._sessions.begin() as session:
            person = session.get(Person, person_id)
            if person is not None:
                release_held(session, person, now)

    def _post(self, client: WebClient, nudge: Nudge, person: Person) -> Outcome | Posted:
        library = self._libraries.of_workspace(person.workspace_id)
        activity = library.exercise(nudge.exercise_id or "") or library.tip(nudge.tip_id or "")
        if activity is None:
            return self._finish(nudge, "failed", "content no longer exists")
        with speaking(self._person_language(person), person.slack_locale):
            message = nudge_message(
                nudge.id,
                activity,
                snoozed=nudge.kind == "snooze",
                backoff_interval=2 * person.interval_minutes if nudge.backoff_notice else None,
                fit_note=self._break_reason(library, activity, person),
            )
        response = self._paced_post(
            nudge,
            person.workspace_id,
            person.slack_user_id,
            lambda: client.chat_postMessage(
                channel=person.slack_user_id, metadata=metadata(nudge.id), **message.as_kwargs()
            ),
        )
        if isinstance(response, Outcome):
            return response
        return self._sent(nudge, response["channel"], response["ts"])

    def _break_reason(self, library: Library, activity: Activity, person: Person) -> str | None:
        """Why a movement break comes instead of an exercise, if none in the person's workspace
        library fits them. Their hidden items are read only for movement breaks: exercises need
        no reason."""
        if not isinstance(activity, Tip):
            return None
        with self._sessions() as session:
            taste = tastes_of(session, [person.id])[person.id]
        return break_reason(library, activity, Fit(person.place, restrictions_of(person), taste))

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

    def _workspace_refused(self, nudge: Nudge, note: str) -> Outcome:
        return self._finish(nudge, "dropped", note)  # a later nudge is planned if it comes back

    def _refused(self, nudge: Nudge, failure: SendFailure) -> Outcome:
        if failure.code in GONE_ERRORS:
            with self._sessions.begin() as session:
                stored = session.get(Person, nudge.person_id)
                if stored is not None:
                    stored.deactivated_at = self._clock.now()
        else:
            logger.error("nudge %s failed: %s", nudge.id, failure.code)
        return self._finish(nudge, "failed", failure.note)
