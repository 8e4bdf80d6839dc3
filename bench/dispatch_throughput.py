"""Dispatch throughput: nudges per second, end to end, for 10,000 due nudges in one workspace.

For each database (SQLite file, PostgreSQL) and number of instances (1, 2): a fresh database with
10,000 opted-in people in one workspace, all due a few seconds ago, in work hours, with fresh
availability (no users.info / dnd.info calls). Each instance is a `build()` container in its own
process (see `bench/instances.py`), with WORKSPACE_SENDS_PER_MINUTE set out of the way; all run
one `container.tick()` at once — plan, claim, build, post, mark, then the tick's other steps —
against a FakeSlack without limits, served by this process.

    .venv/bin/python -m bench.dispatch_throughput [--quick] [--nudges N] [--db sqlite,postgres]
        [--instances 1,2] [--profile]

Throughput is nudges marked sent / wall time from the start signal to the last instance done.
Target: at least 500 nudges per second.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.checks import delivery, posted_nudges
from bench.common import (
    Population,
    analyze,
    due_now,
    engine_for,
    fresh_database,
    insert_people,
    machine,
    noon_zone,
    print_table,
    say,
    user_id,
)
from bench.fakes import SlowSlack
from bench.instances import bot_config, tick_in_processes
from tests.support.fake_slack import FakeSlack

TARGET = 500
NO_BUDGET = 10**9


def prepare(kind: str, workdir: Path, nudges: int) -> tuple[str, datetime]:
    """A fresh database with `nudges` people due now; returns its URL and that now."""
    url = fresh_database(kind, workdir, "dispatch")
    now = datetime.now(UTC)
    engine = engine_for(url)
    insert_people(engine, Population(nudges, noon_zone(now)), now, due_now(now))
    analyze(engine)
    engine.dispose()
    return url, now


def run_case(kind: str, instances: int, nudges: int, workdir: Path, latency_ms: float) -> tuple:
    say(f"{kind}, {instances} instance(s): preparing {nudges:,} due people")
    url, prepared_at = prepare(kind, workdir, nudges)
    with SlowSlack(latency_ms / 1000) as fake:
        say(f"{kind}, {instances} instance(s): ticking")
        started, results = tick_in_processes(
            instances, url, fake.base_url, workspace_sends_per_minute=NO_BUDGET
        )
        wall = max(r.finished for r in results) - started
        posted = posted_nudges(fake, (user_id(i) for i in range(nudges)))  # every slot's
    engine = engine_for(url)
    # Only the slots due at the start: a person whose next slot comes up during a long tick
    # gets that one planned too, and it may still be pending when the tick ends.
    checked = delivery(engine, posted, slot_until=prepared_at)
    engine.dispose()
    errors = "; ".join(r.error for r in results if r.error) or "—"
    sent = sum(r.outcomes.get("sent", 0) for r in results)
    split = " / ".join(f"{r.outcomes.get('sent', 0):,}" for r in results)
    return (
        kind,
        instances,
        latency_ms,
        nudges,
        wall,
        sent,
        sent / wall if wall else 0.0,
        split,
        len(posted),
        checked.superseded,
        checked.duplicates,
        checked.lost,
        errors,
    )


def profile_one_tick(nudges: int, workdir: Path) -> None:
    """cProfile of one tick in this process (SQLite): where the time goes."""
    from bot.bootstrap import build

    url, _ = prepare("sqlite", workdir, nudges)
    with FakeSlack() as fake:
        container = build(bot_config(url, fake.base_url, workspace_sends_per_minute=NO_BUDGET))
        profiler = cProfile.Profile()
        profiler.enable()
        container.tick()
        profiler.disable()
        container.close()
    print(f"\n### cProfile of one tick, {nudges:,} nudges, SQLite, fake Slack in-process\n")
    print("```")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(35)
    print("```")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 nudges (about 30 s)")
    parser.add_argument("--nudges", type=int, help="due nudges (default 10,000)")
    parser.add_argument("--db", default="sqlite,postgres", help="comma-separated: sqlite,postgres")
    parser.add_argument("--instances", default="1,2", help="comma-separated instance counts")
    parser.add_argument("--profile", action="store_true", help="also cProfile one tick")
    parser.add_argument(
        "--slack-latency-ms",
        type=float,
        default=0.0,
        help="added to every fake Slack answer, like a real round trip (default 0)",
    )
    args = parser.parse_args(argv)
    nudges = args.nudges or (2_000 if args.quick else 10_000)
    workdir = Path(tempfile.mkdtemp(prefix="bench-dispatch-"))
    print(f"machine: {machine()}")
    rows = [
        run_case(kind, int(count), nudges, workdir, args.slack_latency_ms)
        for kind in args.db.split(",")
        for count in args.instances.split(",")
    ]
    print_table(
        "Dispatch throughput: one tick, all nudges due, fake Slack without limits",
        [
            "database", "instances", "Slack RTT ms", "due", "wall s", "sent", "nudges/s",
            "sent per instance", "DMs", "superseded", "twice", "lost", "errors",
        ],
        rows,
    )  # fmt: skip
    print(
        "(sent: DMs the tick posted, including the next slot of people whose slot came up "
        "during the tick; superseded: a due nudge replaced by such a newer one before it went)"
    )
    for row in rows:
        rate, twice, lost = row[6], row[10], row[11]
        verdict = "PASS" if rate >= TARGET and twice == 0 and lost == 0 else "MISS"
        print(f"{verdict} {row[0]}, {row[1]} instance(s): {rate:,.0f} nudges/s (target ≥ {TARGET})")
    if args.profile:
        profile_one_tick(nudges, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
