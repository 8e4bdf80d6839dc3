"""The tests' FakeSlack, with what benchmarks add: a network round trip, random 429s, and
tripwires that strike while a post is being answered.

All use only FakeSlack's public surface (`answer`, `fail_next`).
"""

from __future__ import annotations

import multiprocessing
import queue
import random
import threading
import time
from collections.abc import Callable, Iterator
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


class Tripwires(SlowSlack):
    """A SlowSlack that strikes at chosen posts: `arm(event_type, at, strike)` runs `strike()`
    once the `at`-th message of `event_type` (by its metadata) is stored, before the answer goes
    back — a kill -9 then lands after Slack took the post and before the bot could record it —
    and then puts `event_type` on `tripped`, for whoever handles what follows."""

    def __init__(self, latency_s: float = 0.0, methods: frozenset[str] | None = None) -> None:
        super().__init__(latency_s, methods)
        self._armed: dict[str, tuple[int, Callable[[], None] | None]] = {}
        self._seen: dict[str, int] = {}
        self._trip_lock = threading.Lock()
        self.tripped: queue.Queue[str] = queue.Queue()

    def arm(self, event_type: str, at: int, strike: Callable[[], None] | None = None) -> None:
        with self._trip_lock:
            self._armed[event_type] = (at, strike)

    def answer(self, request):
        reply = super().answer(request)
        if request.method != "chat.postMessage" or reply.status != 200 or not reply.body["ok"]:
            return reply
        event_type = (request.params.get("metadata") or {}).get("event_type", "")
        with self._trip_lock:
            self._seen[event_type] = self._seen.get(event_type, 0) + 1
            at, strike = self._armed.get(event_type, (0, None))
            if self._seen[event_type] != at:
                return reply
        if strike is not None:
            strike()
        self.tripped.put(event_type)
        return reply


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
