"""Work that follows an ack — the answer on a click's response_url, a new person's profile — on
threads of its own, so that the threads Bolt needs to ack the next requests are not held by it.

During a click storm (a challenge day posted in a channel of 1,000, issue 16) every click used to
answer on its response_url from Bolt's listener thread: with Slack 50–300 ms away and Bolt's ten
listener threads busy waiting on those answers, the next clicks waited for a thread before they
could be acked, and the backlog grew. What a click must not lose is recorded in the database
*before* its ack (`bot.listeners.challenge_buttons`, `bot.listeners.card_buttons`); what is
handed to this queue is only what a person sees next: a crash after the ack can lose an answer
or a profile fetch waiting here, never a Done.

The queue is bounded (`capacity`). When it is full the caller runs the task itself, on its own
thread: the burst then slows down by exactly the work it brings (back-pressure on Bolt's listener
threads, as before this queue existed) instead of the queue growing without limit or work being
dropped.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from contextvars import copy_context
from dataclasses import dataclass
from functools import partial

logger = logging.getLogger(__name__)

Task = Callable[[], None]

# Threads for answers: each mostly waits on Slack (50–300 ms), so ten keep up with 100 clicks/s.
THREADS = 10
# Tasks that may wait: a 10-second storm of 1,000 clicks fits, with room for its Home refreshes.
CAPACITY = 2_000


@dataclass
class AfterAckCounts:
    """What the queue did since it started, for logs, tests and benchmarks."""

    queued: int = 0
    ran_inline: int = 0  # the queue was full: the caller ran the task itself
    failed: int = 0


class AfterAck:
    """A bounded queue of tasks run by `threads` daemon threads; see the module."""

    def __init__(self, threads: int = THREADS, capacity: int = CAPACITY) -> None:
        self._tasks: queue.Queue[tuple[str, Task] | None] = queue.Queue(maxsize=capacity)
        self._counts_lock = threading.Lock()
        self.counts = AfterAckCounts()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"after-ack-{n}", daemon=True)
            for n in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, name: str, task: Task) -> None:
        """Run `task` soon on a queue thread, or now on this one when the queue is full (or
        closed: a request that arrives while the worker stops still gets its answer). It runs
        in a copy of this request's context, so the answer speaks the request's language."""
        task = partial(copy_context().run, task)
        try:
            if self._closed:
                raise queue.Full
            self._tasks.put_nowait((name, task))
        except queue.Full:
            self._count("ran_inline")
            logger.warning("after-ack queue full: %s runs on the request's thread", name)
            self._run(name, task)
            return
        self._count("queued")

    def waiting(self) -> int:
        """Tasks queued and not yet started."""
        return self._tasks.qsize()

    def join(self) -> None:
        """Wait until every task queued so far has run."""
        self._tasks.join()

    def close(self, timeout: float = 10.0) -> None:
        """Run what is queued, then stop the threads (each gets a stop mark after the tasks)."""
        self._closed = True
        for _ in self._threads:
            self._tasks.put(None)
        for thread in self._threads:
            thread.join(timeout=timeout)

    def _work(self) -> None:
        while True:
            item = self._tasks.get()
            try:
                if item is None:
                    return
                self._run(*item)
            finally:
                self._tasks.task_done()

    def _run(self, name: str, task: Task) -> None:
        try:
            task()
        except Exception:  # one failed answer must not stop the others
            self._count("failed")
            logger.exception("after-ack task %s failed", name)

    def _count(self, what: str) -> None:
        with self._counts_lock:
            setattr(self.counts, what, getattr(self.counts, what) + 1)
