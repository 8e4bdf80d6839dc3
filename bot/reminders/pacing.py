"""Pacing sends so the bot stays inside Slack's limits instead of collecting 429s.

`chat.postMessage` allows about one message per second per channel and several hundred per
minute per workspace. The pacer keeps a sliding one-minute window per workspace and the time of
the last send per channel, and makes the caller wait for its turn. It is per process: with
several instances, give each a share of the workspace budget.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

CHANNEL_GAP_SECONDS = 1.0


class Pacer:
    def __init__(
        self,
        per_minute: int,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._per_minute = per_minute
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()
        self._sends: dict[str, deque[float]] = defaultdict(deque)
        self._last_in_channel: dict[tuple[str, str], float] = {}

    def wait_turn(self, workspace: str, channel: str) -> None:
        """Block until a message to `channel` in `workspace` may be sent, then count it."""
        while True:
            with self._lock:
                delay = self._delay(workspace, channel, self._monotonic())
                if delay <= 0:
                    now = self._monotonic()
                    self._sends[workspace].append(now)
                    self._last_in_channel[workspace, channel] = now
                    return
            self._sleep(delay)

    def _delay(self, workspace: str, channel: str, now: float) -> float:
        window = self._sends[workspace]
        while window and window[0] <= now - 60:
            window.popleft()
        budget_wait = window[0] + 60 - now if len(window) >= self._per_minute else 0.0
        last = self._last_in_channel.get((workspace, channel))
        channel_wait = last + CHANNEL_GAP_SECONDS - now if last is not None else 0.0
        return max(budget_wait, channel_wait)
