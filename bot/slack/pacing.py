"""Pacing sends so the bot stays inside Slack's limits instead of collecting 429s.

`chat.postMessage` allows about one message per second per channel and several hundred per
minute per workspace. The pacer keeps one token bucket per workspace and the time of the last
send per channel, and makes the caller wait for its turn. Any number of threads may wait at once.

The bucket holds at most `capacity` tokens — one second's worth of the budget, at most
`MAX_BURST` — so a handful of sends may go back to back but never a whole minute's budget at
once, and it refills just slowly enough that **no window of 60 seconds holds more than
`per_minute` sends**: sends in a window use the tokens held at its start (at most `capacity`) plus
those refilled before its end (less than 60 seconds' worth), so they number fewer than `capacity
+ 60 * refill_per_second`, which the refill rate sets to `per_minute + 1` less a hair. The price
is a sustained rate of `capacity - 1` sends a minute under the budget (4 at the default 300).

Every send the pacer lets go is one post: the clients for scheduled sends never resend a post by
themselves (see `bot.bootstrap.make_slack_client`), so a 429 comes back to the caller, which
queues the message again and asks the pacer again.

The pacer is per process: with several instances, give each a share of the workspace budget. A
new process starts with full buckets, so a restart may add at most `capacity` sends to the
minute it falls in.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

CHANNEL_GAP_SECONDS = 1.0
MAX_BURST = 10
# Left out of each minute's refill so that float rounding in the token count can never let a
# minute's send through early; a millionth of a send a minute is lost to it.
ROUNDING_SLACK = 1e-6
# Waits are at least this long: a wait of a few ulps, from rounding, would spin on a fake clock.
MIN_WAIT_SECONDS = 0.001


@dataclass
class _Bucket:
    tokens: float
    filled_at: float


class Pacer:
    def __init__(
        self,
        per_minute: int,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_minute < 1:
            raise ValueError(f"The budget must be at least one send a minute, got {per_minute}.")
        self.per_minute = per_minute
        self.capacity = min(MAX_BURST, math.ceil(per_minute / 60))
        self.refill_per_second = (per_minute + 1 - self.capacity - ROUNDING_SLACK) / 60
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}
        self._last_in_channel: dict[tuple[str, str], float] = {}

    def wait_turn(self, workspace: str, channel: str) -> None:
        """Block until a message to `channel` in `workspace` may be sent, then count it."""
        while True:
            with self._lock:
                now = self._monotonic()
                bucket = self._refilled(workspace, now)
                delay = max(self._budget_wait(bucket), self._channel_wait(workspace, channel, now))
                if delay <= 0:
                    bucket.tokens -= 1
                    self._last_in_channel[workspace, channel] = now
                    return
            self._sleep(max(delay, MIN_WAIT_SECONDS))

    def _refilled(self, workspace: str, now: float) -> _Bucket:
        bucket = self._buckets.get(workspace)
        if bucket is None:
            bucket = self._buckets[workspace] = _Bucket(self.capacity, now)
        gained = (now - bucket.filled_at) * self.refill_per_second
        bucket.tokens = min(self.capacity, bucket.tokens + gained)
        bucket.filled_at = now
        return bucket

    def _budget_wait(self, bucket: _Bucket) -> float:
        return (1 - bucket.tokens) / self.refill_per_second if bucket.tokens < 1 else 0.0

    def _channel_wait(self, workspace: str, channel: str, now: float) -> float:
        last = self._last_in_channel.get((workspace, channel))
        return last + CHANNEL_GAP_SECONDS - now if last is not None else 0.0
