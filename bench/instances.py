"""Bot instances in their own processes, for benchmarks that tick one or several at once.

Each instance is a `bot.bootstrap.build()` container in a spawned process (its own engine, its own
instance name, its own GIL), pointed at a FakeSlack served by the benchmark process. All wait at a
start line, then run `container.tick()` and report what it did and when.

Processes rather than threads: on a 2-core machine two threads would share one GIL and measure
Python's lock, not the database's claims.
"""

from __future__ import annotations

import importlib
import multiprocessing
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bench.common import BOT_TOKEN, SIGNING_SECRET

SPAWN = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class TickResult:
    instance: int
    started: float  # time.time()
    finished: float
    planned: int
    outcomes: dict[str, int]
    error: str = ""

    @property
    def seconds(self) -> float:
        return self.finished - self.started


def bot_config(database_url: str, slack_api_url: str, **overrides: Any):
    from bot.config import Config

    values: dict[str, Any] = {
        "_env_file": None,
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_app_token": "",
        "slack_api_url": slack_api_url,
        "database_url": database_url,
        "log_level": "WARNING",
    }
    return Config(**(values | overrides))


def _instance(index, database_url, slack_api_url, overrides, ready, start, results, ticks, hook):
    """Child process: build the container, wait for the start, tick `ticks` times."""
    from bot.bootstrap import build

    container = build(bot_config(database_url, slack_api_url, **overrides))
    if hook:  # "module:function", called with the container (for what-if experiments)
        module, _, function = hook.partition(":")
        getattr(importlib.import_module(module), function)(container)
    ready.put(index)
    start.wait()
    started = time.time()
    planned, outcomes, error = 0, Counter(), ""
    try:
        for _ in range(ticks):
            report = container.tick()
            planned += report["nudge planning"]["planned"]
            outcomes.update(report["nudge delivery"])
    except Exception as problem:  # reported, not raised: the parent prints it in the table
        error = f"{type(problem).__name__}: {problem}"[:200]
    results.put(TickResult(index, started, time.time(), planned, dict(outcomes), error))
    container.close()


def tick_in_processes(
    count: int,
    database_url: str,
    slack_api_url: str,
    ticks: int = 1,
    hook: str = "",
    **overrides: Any,
) -> tuple[float, list[TickResult]]:
    """Start `count` instances, release them together; returns the start time and results."""
    ready, start, results = SPAWN.Queue(), SPAWN.Event(), SPAWN.Queue()
    processes = [
        SPAWN.Process(
            target=_instance,
            args=(i, database_url, slack_api_url, overrides, ready, start, results, ticks, hook),
            daemon=True,
        )
        for i in range(count)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=120)
    started = time.time()
    start.set()
    collected = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    return started, sorted(collected, key=lambda r: r.instance)
