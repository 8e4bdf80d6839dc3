"""Pacing a test's scheduled posts: fake monotonic time, the app's pacer on it (whose waits pass
at once), and a stand-in pacer that a test scripts.

The app paces each container's scheduled posts with the `Pacer` that `bot.bootstrap.build` makes;
`pace_with` has containers built meanwhile use another. In the test suite, mark a test
`@pytest.mark.pacer("unpaced")` or `@pytest.mark.pacer("scripted")` (one of `PACERS`) and the
`container` fixture is built with one (the `pacer` fixture is that pacer).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from bot.slack.pacing import Pacer


class FakeTime:
    """Monotonic time that only `sleep` (or `move_to`) moves: a pacer that never blocks the test."""

    def __init__(self) -> None:
        self._now = 0.0
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self._now += max(seconds, 0.0)

    def move_to(self, at: float) -> None:
        """Moves the time forward to `at` (never back)."""
        with self._lock:
            self._now = max(self._now, at)


def unpaced() -> Pacer:
    """The app's pacer on fake time with no budget to speak of: each wait passes at once (for
    tests that send far more, and far faster, than real pacing would let through)."""
    time = FakeTime()
    return Pacer(per_minute=10**6, sleep=time.sleep, monotonic=time.monotonic)


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
    monkeypatch.setattr("bot.bootstrap.Pacer", lambda per_minute: make_pacer())
