"""What the rendered-block caches in `bot/blocks/rendered.py` save, per message, in CPU time.

Each cache keeps a message's fixed part as JSON text and gives every use fresh dicts with its own
button values. This measures, per call, on one core: an exercise card and a nudge from the cache
against the same message rendered from scratch through slack_sdk's models (what every call would
cost without the cache), and the Home tab with its fixed parts cached against a Library seen for
the first time (its fixed parts rendered again). Compare with an ack's CPU time in
`bench.ack_latency` to judge whether a cache pays for its complexity.

    .venv/bin/python -m bench.rendering [--rounds 2000]
"""

from __future__ import annotations

import argparse
import copy
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench.common import print_table
from bot.blocks.exercise import build_activity_card, exercise_card
from bot.blocks.home import home_view
from bot.blocks.nudge import build_nudge_message, nudge_message
from bot.domain.content import load_library
from bot.domain.progress import progress_view
from bot.domain.reminders import ReminderStatus

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def per_call_us(render: Callable[[int], object], rounds: int) -> float:
    """Median of five runs of `rounds` calls, in CPU microseconds per call."""
    runs = []
    for _ in range(5):
        start = time.process_time()
        for i in range(rounds):
            render(i)
        runs.append((time.process_time() - start) / rounds * 1e6)
    return sorted(runs)[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000, help="calls per timed run")
    rounds = parser.parse_args().rounds
    library = load_library()
    exercise = library.exercises[0]
    status = ReminderStatus(True, "Weekdays 09:00–17:00 UTC, every 60 minutes", NOW, None, "UTC")
    progress = progress_view(
        [], [], [], tz="UTC", work_days=frozenset(range(5)), now=NOW, titles={}
    )
    # New Library objects with the same content: each is a cache miss for the Home's fixed parts.
    copies = [copy.copy(library) for _ in range(rounds)]

    rows = []
    for name, cached, scratch in [
        (
            "exercise card",
            lambda i: exercise_card(exercise, f"card{i}"),
            lambda i: build_activity_card(exercise, f"card{i}", "command"),
        ),
        (
            "nudge",
            lambda i: nudge_message(i + 1, exercise),
            lambda i: build_nudge_message(i + 1, exercise),
        ),
        (
            "Home tab",
            lambda i: home_view(library, status, progress, [], NOW),
            lambda i: home_view(copies[i], status, progress, [], NOW),
        ),
    ]:
        from_cache, from_scratch = per_call_us(cached, rounds), per_call_us(scratch, rounds)
        rows.append((name, from_cache, from_scratch, from_scratch - from_cache))
    print_table(
        "Rendering, CPU µs per message (median of 5 runs)",
        ["message", "cached", "from scratch", "saved per call"],
        rows,
    )


if __name__ == "__main__":
    main()
