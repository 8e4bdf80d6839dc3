"""The tests' FakeSlack, with two things benchmarks add: a network round trip, and random 429s.

Both use only FakeSlack's public surface (`answer`, `fail_next`).
"""

from __future__ import annotations

import multiprocessing
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.fake_slack import FakeSlack


class SlowSlack(FakeSlack):
    """A FakeSlack whose answers take `latency_s` longer, like a real Slack far away
    (chat.postMessage typically answers in 50–300 ms); only `methods`' answers, if given."""

    def __init__(self, latency_s: float = 0.0, methods: frozenset[str] | None = None) -> None:
        super().__init__()
        self.latency_s = latency_s
        self.methods = methods

    def answer(self, request):
        if self.latency_s and (self.methods is None or request.method in self.methods):
            time.sleep(self.latency_s)
        return super().answer(request)


class Random429s:
    """While running, queues a 429 (`Retry-After: retry_after`) for `method` at random moments,
    `per_second` on average: whichever call comes next gets it."""

    def __init__(
        self,
        fake: FakeSlack,
        per_second: float,
        method: str = "chat.postMessage",
        retry_after: int = 1,
        seed: int = 6,
    ) -> None:
        self._fake = fake
        self._per_second = per_second
        self._method = method
        self._retry_after = retry_after
        self._random = random.Random(seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="random-429s", daemon=True)
        self.injected = 0

    def __enter__(self) -> Random429s:
        if self._per_second > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._random.expovariate(self._per_second)):
            self._fake.fail_next(self._method, status=429, retry_after=self._retry_after)
            self.injected += 1


def _serve_fake_slack(urls, stop) -> None:
    with FakeSlack() as fake:
        urls.put(fake.base_url)
        stop.wait()


@contextmanager
def fake_slack_process() -> Iterator[str]:
    """A FakeSlack in a process of its own (so it does not share the GIL with the bot being
    measured); yields its Web API base URL."""
    context = multiprocessing.get_context("spawn")
    urls, stop = context.Queue(), context.Event()
    process = context.Process(target=_serve_fake_slack, args=(urls, stop), daemon=True)
    process.start()
    try:
        yield urls.get(timeout=60)
    finally:
        stop.set()
        process.join(timeout=30)
