"""A closed-loop HTTP load generator: `concurrency` threads send requests back to back until
`count` are done, timing each one. Used by `bench.ack_latency`."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bench.common import percentile


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed_s: float = 0.0
    error_samples: list[str] = field(default_factory=list)
    cpu_s: float = 0.0  # server CPU time spent meanwhile, when the caller measures it

    def merge(self, other: LoadResult) -> LoadResult:
        return LoadResult(
            self.latencies_ms + other.latencies_ms,
            self.errors + other.errors,
            self.elapsed_s + other.elapsed_s,
            (self.error_samples + other.error_samples)[:5],
            self.cpu_s + other.cpu_s,
        )

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    @property
    def per_second(self) -> float:
        return self.count / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def cpu_ms(self) -> float:
        return self.cpu_s * 1000 / self.count if self.count else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q)


def run_load(send: Callable[[int], str | None], count: int, concurrency: int) -> LoadResult:
    """Call `send(i)` for i in range(count) from `concurrency` threads; `send` returns None on
    success or a short description of the error."""
    result = LoadResult()
    lock = threading.Lock()
    numbers = itertools.count()

    def worker() -> None:
        while (i := next(numbers)) < count:
            started = time.perf_counter()
            try:
                problem = send(i)
            except Exception as error:  # a refused connection or a timeout is an error
                problem = f"{type(error).__name__}: {error}"
            elapsed_ms = (time.perf_counter() - started) * 1000
            with lock:
                result.latencies_ms.append(elapsed_ms)
                if problem:
                    result.errors += 1
                    if len(result.error_samples) < 5:
                        result.error_samples.append(problem)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency, thread_name_prefix="load") as pool:
        for _ in range(concurrency):
            pool.submit(worker)
    result.elapsed_s = time.perf_counter() - started
    return result
