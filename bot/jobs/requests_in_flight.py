"""How busy the app is with Slack's requests, so that work which can wait yields to them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class RequestsInFlight:
    """Counts the requests in flight and remembers when the last one ended."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._in_flight = 0
        self._last_ended = float("-inf")

    @contextmanager
    def request(self) -> Iterator[None]:
        with self._lock:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
                self._last_ended = self._monotonic()

    def quiet_for(self) -> float:
        """Seconds without a request in flight (0 while one is)."""
        with self._lock:
            return 0.0 if self._in_flight else self._monotonic() - self._last_ended
