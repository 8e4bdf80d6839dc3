"""What the fake Slack answers instead of the method: injected faults (429 with Retry-After, 5xx,
Slack errors, slow answers), persistent errors, and rate limits (a budget per minute, Slack's one
message per second per channel).

Not thread-safe on its own: `FakeSlack` holds its lock around every use, except the wait of a
slow answer.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from tests.support.fake_slack.wire import RESPONSE_URL, Reply, Request, error, status_reply
from tests.support.fake_slack.workspace import channel_id


@dataclass(frozen=True)
class Fault:
    """An injected answer: wait `delay` seconds, then a Slack error, an HTTP status, or normal."""

    status: int | None
    retry_after: int
    error: str | None
    delay: float

    def reply(self) -> Reply | None:
        if self.error is not None:
            return Reply(error(self.error))
        if self.status is None:
            return None
        return status_reply(self.status, self.retry_after)


class Window:
    """A sliding-window rate limit: at most `limit` events in any `seconds`."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more event is allowed (0 when it is allowed now)."""
        while self._times and now - self._times[0] >= self.seconds:
            self._times.popleft()
        if len(self._times) < self.limit:
            return 0.0
        return self.seconds - (now - self._times[0])

    def record(self, now: float) -> None:
        self._times.append(now)


class Faults:
    """The faults queued per method, the persistent errors, and the rate limits in force."""

    def __init__(self) -> None:
        self._queued: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._errors: dict[str, str] = {}
        self._budgets: dict[str | None, Window] = {}
        self._channel_rate: float | None = None
        self._channel_windows: dict[str, Window] = {}

    def queue(self, method: str, fault: Fault, times: int) -> None:
        self._queued[method].extend([fault] * times)

    def next_for(self, method: str) -> Fault | None:
        """The next queued fault for `method`, taken off the queue."""
        queued = self._queued.get(method)
        return queued.popleft() if queued else None

    def left(self, method: str) -> int:
        return len(self._queued.get(method, ()))

    def set_error(self, method: str, code: str) -> None:
        self._errors[method] = code

    def clear(self) -> None:
        """Drops persistent errors and faults not yet used."""
        self._errors.clear()
        self._queued.clear()

    def enforce_channel_rate(self, per_second: float) -> None:
        self._channel_rate = per_second
        self._channel_windows.clear()

    def budget(self, per_minute: int, method: str | None) -> None:
        self._budgets[method] = Window(per_minute, 60.0)

    def persistent_error(self, request: Request) -> Reply | None:
        code = self._errors.get(request.method)
        return Reply(error(code)) if code is not None else None

    def rate_limited(self, request: Request) -> Reply | None:
        """A 429 when the call would break a budget or the channel rate; else it is counted."""
        if request.method == RESPONSE_URL:
            return None
        windows = [self._budgets.get(None), self._budgets.get(request.method)]
        if request.method == "chat.postMessage" and self._channel_rate is not None:
            channel = channel_id(str(request.params.get("channel")))
            rate = self._channel_rate
            windows.append(self._channel_windows.setdefault(channel, Window(rate, 1.0)))
        windows = [window for window in windows if window is not None]
        now = time.monotonic()
        wait = max((window.wait(now) for window in windows), default=0.0)
        if wait > 0:
            return status_reply(429, max(1, math.ceil(wait)))
        for window in windows:
            window.record(now)
        return None
