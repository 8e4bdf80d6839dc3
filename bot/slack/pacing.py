"""Pacing sends so the bot stays inside Slack's limits instead of collecting 429s.

`chat.postMessage` allows about one message per second per channel and several hundred per
minute per workspace. The workspace's budget is one for all instances: the pacer reserves slots
from it in the database (`SharedBudget`, the rule in `bot.domain.send_budget`), so however many
instances and gunicorn workers run, together they never send more than `per_minute` in any 60
seconds, and a restart starts from where the budget stood. The spacing of one send per second
per channel stays per process (a channel's posts come from the one instance that claimed them).

A thread first waits for its channel, then for a slot. Slots are reserved as a grant — for every
thread then waiting on the workspace, and at least those opening within `GRANT_SPAN_SECONDS`, in
one database round trip — and used in order by whichever thread is ready; a slot not used within
`GRANT_SECONDS` of opening is dropped (never used late, which is what keeps the minute under the
budget). A process that stops while holding slots loses those, and no more, of the budget.

Every send the pacer lets go is one post: the clients for scheduled sends never resend a post by
themselves (see `bot.bootstrap.make_slack_client`), so a 429 comes back to the caller, which
queues the message again and asks the pacer again.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.db.send_budgets import reserve
from bot.domain.clock import Clock
from bot.domain.send_budget import GRANT_SECONDS, Grant, SendRate, microseconds

CHANNEL_GAP_SECONDS = 1.0
# Waits are at least this long: a wait of a few ulps, from rounding, would spin on a fake clock.
MIN_WAIT_SECONDS = 0.001


class Budget(Protocol):
    def reserve(self, workspace: str, wanted: int) -> Grant:
        """Reserve at least `wanted` slots of the workspace's budget, reading the clock once."""
        ...


class SharedBudget:
    """The workspace budgets in the database, read against the clock every instance shares."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, per_minute: int) -> None:
        self.rate = SendRate.for_budget(per_minute)
        self._sessions = sessions
        self._clock = clock

    def reserve(self, workspace: str, wanted: int) -> Grant:
        now = microseconds(self._clock.now())
        count = self.rate.grant_size(wanted)
        with self._sessions.begin() as session:
            after = reserve(session, workspace, now, count * self.rate.interval)
        return self.rate.grant(after, now, count)


class _Held:
    """A grant on this process's monotonic clock. The budget read its clock between `before` and
    `after`, so a slot is taken to open at `after` plus its offset and to close `GRANT_SECONDS`
    after `before` plus it: late, never early, and early, never late."""

    def __init__(self, grant: Grant, before: float, after: float) -> None:
        self.grant = grant
        self.before = before
        self.after = after
        self.next = 0  # the first slot neither used nor dropped

    def opens(self) -> float:
        return self.after + self.grant.opens(self.next) / 1e6

    def left(self) -> int:
        return self.grant.count - self.next

    def drop_closed(self, now: float) -> None:
        """Skip the slots that closed before `now`: straight to about the first open one (a grant
        may hold many thousands), then one by one to exactly it."""
        if not self.left() or self._closes(self.next) >= now:
            return
        grant = self.grant
        late = (now - GRANT_SECONDS - self.before) * 1e6 + grant.now - grant.first
        self.next = min(grant.count, max(self.next + 1, math.ceil(late / grant.interval) - 1))
        while self.left() and self._closes(self.next) < now:
            self.next += 1

    def _closes(self, k: int) -> float:
        return self.before + self.grant.opens(k) / 1e6 + GRANT_SECONDS


class Pacer:
    def __init__(
        self,
        budget: Budget,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._budget = budget
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()
        self._counting = threading.Lock()  # threads count themselves in without waiting on _lock
        self._waiting: Counter[str] = Counter()
        self._grants: defaultdict[str, deque[_Held]] = defaultdict(deque)
        self._last_in_channel: dict[tuple[str, str], float] = {}

    def wait_turn(self, workspace: str, channel: str) -> None:
        """Block until a message to `channel` in `workspace` may be sent, then count it."""
        self._count(workspace, 1)
        try:
            while True:
                with self._lock:
                    now = self._monotonic()
                    delay = self._channel_wait(workspace, channel, now)
                    if delay <= 0:
                        delay = self._budget_wait(workspace, now)
                    if delay <= 0:
                        self._grants[workspace][0].next += 1
                        self._last_in_channel[workspace, channel] = now
                        return
                self._sleep(max(delay, MIN_WAIT_SECONDS))
        finally:
            self._count(workspace, -1)

    def _count(self, workspace: str, change: int) -> None:
        with self._counting:
            self._waiting[workspace] += change

    def _budget_wait(self, workspace: str, now: float) -> float:
        """Seconds until the workspace's next slot opens, reserving a grant when the slots held
        are fewer than the threads waiting on it."""
        grants = self._grants[workspace]
        for held in grants:
            held.drop_closed(now)
        while grants and not grants[0].left():
            grants.popleft()
        with self._counting:
            wanted = self._waiting[workspace] - sum(held.left() for held in grants)
        if wanted > 0:
            before = self._monotonic()
            grant = self._budget.reserve(workspace, wanted)
            grants.append(_Held(grant, before, self._monotonic()))
        return grants[0].opens() - now

    def _channel_wait(self, workspace: str, channel: str, now: float) -> float:
        last = self._last_in_channel.get((workspace, channel))
        return last + CHANNEL_GAP_SECONDS - now if last is not None else 0.0
