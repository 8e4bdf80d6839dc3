"""Timers a test fires by hand, for guided mode's automatic advances (no sleeping)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class ManualTimer:
    seconds: float
    action: Callable[[], None]
    cancelled: bool = False
    fired: bool = False

    def cancel(self) -> None:
        self.cancelled = True


class ManualTimers:
    """Every timer asked for, kept; `fire_due` runs the ones neither cancelled nor fired yet."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.all: list[ManualTimer] = []

    def call_later(self, seconds: float, action: Callable[[], None]) -> ManualTimer:
        timer = ManualTimer(seconds, action)
        with self._lock:
            self.all.append(timer)
        return timer

    @property
    def pending(self) -> list[ManualTimer]:
        with self._lock:
            return [t for t in self.all if not (t.cancelled or t.fired)]

    def fire_due(self) -> int:
        """Fire the pending timers (not those they schedule); how many fired."""
        due = self.pending
        for timer in due:
            self.fire(timer)
        return len(due)

    @staticmethod
    def fire(timer: ManualTimer) -> None:
        """Run a timer's action even if it was cancelled: as a process that missed the click
        (another worker handled it) would."""
        timer.fired = True
        timer.action()
