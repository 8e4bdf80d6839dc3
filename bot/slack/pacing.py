"""Pacing sends so the bot stays inside Slack's limits instead of collecting 429s.

`chat.postMessage` allows about one message per second per channel and several hundred per
minute per workspace. The workspace's budget is one for all instances: the pacer reserves slots
from it in the database (`SharedBudget`, the rule in `bot.domain.send_budget`), so however many
instances and gunicorn workers run, together they never send more than `per_minute` in any 60
seconds, and a restart starts from where the budget stood. The spacing of one send per second
per channel stays per process (a channel's posts come from the one instance that claimed them).

A thread first waits for its channel, then for a slot. Slots are reserved for every thread then
waiting on the workspace at once — one database round trip for a handful of sends — and used in
order by whichever thread is ready; a slot not used within `GRANT_SECONDS` of opening is dropped
(never used late, which is what keeps the minute under the budget). A process that stops while
holding slots loses those, and no more, of the budget.

Every send the pacer lets go is one post: the clients for scheduled sends never resend a post by
themselves (see `bot.bootstrap.make_slack_client`), so a 429 comes back to the caller, which
queues the message again and asks the pacer again.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.db.send_budgets import reserve
from bot.domain.clock import Clock
from bot.domain.send_budget import GRANT_SECONDS, SendRate, microseconds

CHANNEL_GAP_SECONDS = 1.0
# Waits are at least this long: a wait of a few ulps, from rounding, would spin on a fake clock.
MIN_WAIT_SECONDS = 0.001


class Budget(Protocol):
    def reserve(self, workspace: str, count: int) -> list[float]:
        """Reserve `count` slots of the workspace's budget: when each opens, in seconds from the
        moment the budget read its clock (0 when open already), earliest first."""
        ...


class SharedBudget:
    """The workspace budgets in the database, read against the clock every instance shares."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, per_minute: int) -> None:
        self.rate = SendRate.for_budget(per_minute)
        self._sessions = sessions
        self._clock = clock

    def reserve(self, workspace: str, count: int) -> list[float]:
        now = microseconds(self._clock.now())
        with self._sessions.begin() as session:
            after = reserve(session, workspace, now, count * self.rate.interval)
        return [(slot - now) / 1e6 for slot in self.rate.slots(after, now, count)]


@dataclass(frozen=True)
class _Slot:
    opens: float  # monotonic seconds: never before the slot opened
    closes: float  # never after GRANT_SECONDS past it


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
        self._slots: defaultdict[str, deque[_Slot]] = defaultdict(deque)
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
                        self._slots[workspace].popleft()
                        self._last_in_channel[workspace, channel] = now
                        return
                self._sleep(max(delay, MIN_WAIT_SECONDS))
        finally:
            self._count(workspace, -1)

    def _count(self, workspace: str, change: int) -> None:
        with self._counting:
            self._waiting[workspace] += change

    def _budget_wait(self, workspace: str, now: float) -> float:
        """Seconds until the workspace's next slot opens, reserving slots for every thread
        waiting on it when there are fewer than those threads."""
        slots = self._slots[workspace]
        while slots and slots[0].closes < now:
            slots.popleft()
        with self._counting:
            wanted = self._waiting[workspace] - len(slots)
        if wanted > 0:
            slots.extend(self._reserved(workspace, wanted))
        return slots[0].opens - now

    def _reserved(self, workspace: str, count: int) -> list[_Slot]:
        before = self._monotonic()
        opening = self._budget.reserve(workspace, count)
        after = self._monotonic()
        # The budget read its clock between `before` and `after`: open late, close early.
        return [_Slot(after + delay, before + delay + GRANT_SECONDS) for delay in opening]

    def _channel_wait(self, workspace: str, channel: str, now: float) -> float:
        last = self._last_in_channel.get((workspace, channel))
        return last + CHANNEL_GAP_SECONDS - now if last is not None else 0.0
