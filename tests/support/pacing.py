"""Pacing a test's scheduled posts: fake time (monotonic, and a clock on it), the shared budget's
rule without a database, the app's pacer on them (whose waits pass at once), and a stand-in
pacer that a test scripts.

The app paces each container's scheduled posts with the `Pacer` that `bot.bootstrap.build` makes;
`pace_with` has containers built meanwhile use another. In the test suite, mark a test
`@pytest.mark.pacer("unpaced")` or `@pytest.mark.pacer("scripted")` (one of `PACERS`) and the
`container` fixture is built with one (the `pacer` fixture is that pacer).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.send_budget import Grant, SendRate, microseconds
from bot.slack.pacing import Budget, Pacer

START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class FakeTime:
    """Monotonic time that only `sleep` (or `move_to`) moves: a pacer that never blocks the test.

    A thread's sleep ends `seconds` after its own last reading, as if every thread slept at once:
    threads sleeping together do not add up their sleeps."""

    def __init__(self) -> None:
        self._now = 0.0
        self._lock = threading.Lock()
        self._read = threading.local()

    def monotonic(self) -> float:
        with self._lock:
            self._read.at = self._now
            return self._now

    def now(self) -> datetime:
        """The same time as a clock: `START` plus the monotonic seconds."""
        return START + timedelta(seconds=self.monotonic())

    def sleep(self, seconds: float) -> None:
        with self._lock:
            since = getattr(self._read, "at", self._now)
            self._now = max(self._now, since + max(seconds, 0.0))

    def move_to(self, at: float) -> None:
        """Moves the time forward to `at` (never back)."""
        with self._lock:
            self._now = max(self._now, at)


class LocalBudget:
    """The shared budget's rule (`bot.domain.send_budget`) kept in memory, on fake time: what
    `bot.slack.pacing.SharedBudget` does with its row, for one process."""

    def __init__(self, per_minute: int, time: FakeTime) -> None:
        self.rate = SendRate.for_budget(per_minute)
        self._time = time
        self._next_free: dict[str, int] = {}

    def reserve(self, workspace: str, wanted: int) -> Grant:
        now = microseconds(self._time.now())
        count = self.rate.grant_size(wanted)
        after = self.rate.next_free(self._next_free.get(workspace, now), now, count)
        self._next_free[workspace] = after
        return self.rate.grant(after, now, count)


def paced(per_minute: int, time: FakeTime) -> Pacer:
    """The app's pacer on fake time, its budget in memory."""
    return Pacer(LocalBudget(per_minute, time), sleep=time.sleep, monotonic=time.monotonic)


def unpaced() -> Pacer:
    """The app's pacer on fake time with no budget to speak of: each wait passes at once (for
    tests that send far more, and far faster, than real pacing would let through)."""
    return paced(10**6, FakeTime())


class RecordingPacer(Pacer):
    """The app's pacer on fake time, noting each send at the clock reading it let the send go by
    (its last one): `sends` holds (seconds, workspace, channel)."""

    def __init__(self, budget: Budget, time: FakeTime) -> None:
        super().__init__(budget, monotonic=self._read, sleep=time.sleep)
        self.budget = budget
        self._time = time
        self._last_read = threading.local()
        self._sends_lock = threading.Lock()
        self.sends: list[tuple[float, str, str]] = []

    def _read(self) -> float:
        self._last_read.value = self._time.monotonic()
        return self._last_read.value

    def wait_turn(self, workspace: str, channel: str) -> None:
        super().wait_turn(workspace, channel)
        with self._sends_lock:
            self.sends.append((self._last_read.value, workspace, channel))


def peak_in_any_minute(times: list[float]) -> int:
    """The most sends in any window (t - 60 s, t], as bench/checks.py counts them."""
    ordered = sorted(times)
    peak, low = 0, 0
    for high, moment in enumerate(ordered):
        while ordered[low] <= moment - 60:
            low += 1
        peak = max(peak, high - low + 1)
    return peak


class ScriptedPacer:
    """Stands in for the pacer: each wait for a turn runs `during_wait` (by default nothing), so
    a test can make things happen while a post waits for its turn."""

    def __init__(self) -> None:
        self.during_wait: Callable[[], object] = lambda: None

    def wait_turn(self, workspace: str, channel: str) -> None:
        self.during_wait()


PACERS: dict[str, Callable[[], object]] = {"unpaced": unpaced, "scripted": ScriptedPacer}
"""What `@pytest.mark.pacer(name)` may name."""


def pace_with(monkeypatch: pytest.MonkeyPatch, make_pacer: Callable[[], object]) -> None:
    """Containers built from now on (until `monkeypatch` undoes it) pace their scheduled posts
    with a new `make_pacer()` each, instead of the app's own `Pacer`."""
    monkeypatch.setattr("bot.bootstrap.Pacer", lambda budget: make_pacer())
