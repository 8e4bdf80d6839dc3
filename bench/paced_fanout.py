"""Paced fan-out: a simulated hour of 10,000 people with identical settings.

Everyone has the same zone, work hours and 60-minute interval, so without the per-person offset
they would all be due at the same second. A fake Slack enforces 1 message per second per channel
and a workspace budget, and answers random 429s. `--instances N` instances (default 1) —
each `build()` with the bot's own scheduler (`start_background`), in a process of its own (see
`bench/instances.py`) — share the database and so one workspace budget, and run for a simulated
hour against the fake, which this process serves.

Time is scaled down `--speed` times (default 15: the hour takes 4 minutes). Everything that
measures time in the bot runs on the scaled clock — the schedule and the claims (`Clock`), and
the pacer (its `monotonic`/`sleep` are injected through `bot.bootstrap.Pacer`; its budget, kept
in the database, reads the scaled clock it is built with) — so its budget
is per *simulated* minute. What the bot cannot see runs in real time and is the harder for it:
Slack's channel limit (1 per real second) and the Retry-After of each 429 (1 real second =
`speed` simulated seconds, slept by slack_sdk's retry handler). The fake's workspace budget is
`--slack-budget` per simulated minute, i.e. `speed` times that per real minute.

    .venv/bin/python -m bench.paced_fanout [--quick] [--people N] [--speed K] [--budget B]
        [--slack-budget S] [--random-429-share P] [--instances N] [--db sqlite|postgres]

Checks: every nudge of the hour delivered within its interval (60 simulated minutes after its
slot), none twice, and the peak of sends in any simulated minute, all instances together, never
above the bot's budget. PostgreSQL runs use a database of their own, named after this process.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bench.checks import delivery, peak_in_window, posted_nudges
from bench.common import (
    Population,
    analyze,
    engine_for,
    fresh_database,
    insert_people,
    machine,
    noon_zone,
    percentile,
    print_table,
    say,
    user_id,
)
from bench.fakes import Random429s
from bench.instances import SPAWN, bot_config
from bot.db.models import Nudge, Person
from bot.db.people import schedule_for
from bot.domain.schedule import next_slot
from bot.slack.pacing import Budget, Pacer
from tests.support.fake_slack import FakeSlack

HOUR = timedelta(hours=1)
INTERVAL = 60


class ScaledClock:
    """The bot's clock, `speed` times faster than the wall clock, from `start` on; also the
    pacer's monotonic time and sleep, in simulated seconds."""

    def __init__(self, start: datetime, speed: float) -> None:
        self.start = start
        self.speed = speed
        self._origin = time.monotonic()
        self._lock = threading.Lock()

    def restart(self, origin: float) -> None:
        """Simulated time starts at `origin` (`time.monotonic()`, which every process on the
        machine shares: instances in processes of their own read one simulated time)."""
        with self._lock:
            self._origin = origin

    def elapsed(self) -> float:
        with self._lock:
            return (time.monotonic() - self._origin) * self.speed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed())

    def at_wall(self, epoch_seconds: float, wall_origin: float) -> datetime:
        """The simulated instant of a wall-clock time (e.g. a Slack message ts)."""
        return self.start + timedelta(seconds=(epoch_seconds - wall_origin) * self.speed)

    def monotonic(self) -> float:
        return self.elapsed()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(seconds, 0) / self.speed)


class RecordingPacer(Pacer):
    """The bot's pacer on the simulated clock, noting the instant it records for each send
    (the last time it read from its clock before letting the send go)."""

    def __init__(self, budget: Budget, clock: ScaledClock) -> None:
        super().__init__(budget, monotonic=self._read, sleep=clock.sleep)
        self._clock = clock
        self._last = threading.local()
        self.admitted: list[float] = []  # simulated seconds

    def _read(self) -> float:
        self._last.value = self._clock.monotonic()
        return self._last.value

    def wait_turn(self, workspace: str, channel: str) -> None:
        super().wait_turn(workspace, channel)
        self.admitted.append(self._last.value)


def first_slots(start: datetime):
    """Each person's first slot after `start`, from the bot's own schedule (offsets included)."""

    def slot(_index: int, row: dict[str, object]) -> datetime:
        return next_slot(schedule_for(Person(**row)), start)

    return slot


def _instance(index, url, slack_url, overrides, start, speed, ready, go, stop, results) -> None:
    """Child process: one instance on the scaled clock, from `go` until `stop`; puts the
    simulated instants its pacer let sends go at."""
    from bot.bootstrap import build

    clock = ScaledClock(start, speed)
    pacers: list[RecordingPacer] = []

    def pacer(budget: Budget) -> Pacer:  # the budget in the database, on the scaled clock
        pacers.append(RecordingPacer(budget, clock))
        return pacers[-1]

    with mock.patch("bot.bootstrap.Pacer", pacer):
        container = build(bot_config(url, slack_url, **overrides), clock=clock)
    # A tick longer than the interval makes APScheduler say so at every interval.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    ready.put(index)
    clock.restart(go.get())
    container.start_background()
    stop.wait()
    container.close()
    results.put((index, [t for p in pacers for t in p.admitted]))


def run(args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=5)
    url = fresh_database(args.db, workdir, f"fanout{os.getpid()}")
    engine = engine_for(url)
    say(f"inserting {args.people:,} people with identical settings")
    population = Population(args.people, noon_zone(start), interval_minutes=INTERVAL)
    insert_people(engine, population, start, first_slots(start))
    analyze(engine)
    clock = ScaledClock(start, args.speed)
    hour_end = start + HOUR
    real_hour = 3600 / args.speed
    posts_per_second = args.people / real_hour
    with FakeSlack() as fake:
        fake.enforce_channel_rate(1)
        fake.budget(int(args.slack_budget * args.speed), method="chat.postMessage")
        overrides = {
            "workspace_sends_per_minute": args.budget,
            "tick_seconds": max(5 / args.speed, 0.2),
        }
        ready, go, results, stop = SPAWN.Queue(), SPAWN.Queue(), SPAWN.Queue(), SPAWN.Event()
        processes = [
            SPAWN.Process(
                target=_instance,
                args=(
                    i,
                    url,
                    fake.base_url,
                    overrides,
                    start,
                    args.speed,
                    ready,
                    go,
                    stop,
                    results,
                ),
                daemon=True,
            )
            for i in range(args.instances)
        ]
        for process in processes:
            process.start()
        for _ in processes:
            ready.get(timeout=120)
        chaos = Random429s(fake, args.random_429_share * posts_per_second)
        say(f"{args.instances} instance(s), an hour in {real_hour:.0f} s ({args.speed:g}x)")
        wall_origin = time.time()
        origin = time.monotonic()
        clock.restart(origin)
        for _ in processes:
            go.put(origin)
        with chaos:
            drained = wait_for_the_hour(engine, clock, hour_end, args.people)
        stop.set()
        admitted = dict(results.get(timeout=120) for _ in processes)
        for process in processes:
            process.join(timeout=60)
        posted = posted_nudges(fake, (user_id(i) for i in range(args.people)))
        posts = fake.calls_to("chat.postMessage")
        statuses = Counter(call.status for call in posts)
        answers = Counter(call.response.get("error") or "ok" for call in posts)
        refused = {call.params.get("channel") for call in posts if call.status == 429}
    result = summarize(engine, clock, posted, wall_origin, hour_end, statuses, chaos, drained)
    first_tries = [float(p.ts) for p in posted if p.channel not in refused]
    result["peak_first_tries"] = peak_in_window(first_tries, 60 / clock.speed)
    result["peak_admitted"] = peak_in_window([t for i in admitted for t in admitted[i]], 60.0)
    result["per_instance"] = [len(admitted[i]) for i in sorted(admitted)]
    result["answers"] = answers
    return result


def wait_for_the_hour(engine, clock: ScaledClock, hour_end: datetime, people: int) -> bool:
    """Until the hour is over and every slot in it is sent, or a second hour has passed."""
    while clock.now() < hour_end + HOUR:
        time.sleep(1)
        if clock.now() < hour_end:
            continue
        with engine.connect() as connection:
            sent = connection.scalar(
                select(func.count(Nudge.id)).where(
                    Nudge.slot_at <= hour_end, Nudge.status == "sent"
                )
            )
        if sent >= people:
            return True
    return False


def summarize(engine, clock, posted, wall_origin, hour_end, statuses, chaos, drained) -> dict:
    with engine.connect() as connection:
        rows = connection.execute(
            select(Nudge.id, Nudge.slot_at, Nudge.kind).where(Nudge.slot_at <= hour_end)
        ).all()
    slots = {row.id: row.slot_at for row in rows}
    first_post = {}
    for p in posted:
        if p.row_id in slots:
            first_post.setdefault(p.row_id, clock.at_wall(float(p.ts), wall_origin))
    delays = [(first_post[i] - slots[i]).total_seconds() / 60 for i in first_post]
    checked = delivery(engine, posted, slot_until=hour_end)
    sim_minute_in_wall_seconds = 60 / clock.speed
    times = [float(p.ts) for p in posted]
    return {
        "nudges": len(rows),
        "kinds": dict(Counter(row.kind for row in rows)),
        "checked": checked,
        "drained": drained,
        "within": sum(d < INTERVAL for d in delays),
        "p50": percentile(delays, 50),
        "p99": percentile(delays, 99),
        "max": max(delays, default=0.0),
        "peak_minute": peak_in_window(times, sim_minute_in_wall_seconds),
        "peak_second": peak_in_window(times, 1 / clock.speed),
        "statuses": statuses,
        "injected": chaos.injected,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 people, 60x (about 1 min)")
    parser.add_argument("--people", type=int, help="default 10,000 (2,000 with --quick)")
    parser.add_argument("--speed", type=float, help="time scale (default 15; 60 with --quick)")
    parser.add_argument("--budget", type=int, help="WORKSPACE_SENDS_PER_MINUTE (simulated)")
    parser.add_argument("--slack-budget", type=int, help="fake Slack's per simulated minute")
    parser.add_argument(
        "--random-429-share",
        type=float,
        default=0.002,
        help="random 429s as a share of the posts (default 0.002); each stalls the sender for "
        "Retry-After = 1 real second, i.e. SPEED simulated seconds",
    )
    parser.add_argument(
        "--instances", type=int, default=1, help="instances sharing the database (default 1)"
    )
    parser.add_argument("--db", default="sqlite", help="sqlite (default) or postgres")
    args = parser.parse_args(argv)
    args.people = args.people or (2_000 if args.quick else 10_000)
    args.speed = args.speed or (60.0 if args.quick else 15.0)
    # 10,000 people an hour need 167 a minute on average, a little more in busy minutes: a
    # budget of 180 (scaled with the population) binds in the busiest minutes.
    args.budget = args.budget or max(1, round(args.people * 0.018))
    args.slack_budget = args.slack_budget or round(args.budget * 1.2)
    print(f"machine: {machine()}")
    result = run(args, Path(tempfile.mkdtemp(prefix="bench-fanout-")))
    report(args, result)
    return 0


def report(args: argparse.Namespace, r: dict) -> None:
    checked = r["checked"]
    statuses = r["statuses"]
    refused = statuses.get(429, 0)
    print_table(
        f"Paced fan-out: {args.people:,} people, one simulated hour at {args.speed:g}x, "
        f"{args.instances} instance(s) on {args.db}",
        ["measure", "value", "target"],
        [
            ("nudges with a slot in the hour", r["nudges"], f"{args.people:,}"),
            ("kinds (scheduled / late)", _kinds(r["kinds"]), "—"),
            ("marked sent", checked.sent, f"{args.people:,}"),
            ("DMs posted", checked.posted, f"{args.people:,}"),
            ("posted twice", checked.duplicates, "0"),
            ("superseded by the person's next nudge", checked.superseded, "—"),
            ("not delivered", checked.lost, "0"),
            ("delivered within the interval (60 min)", r["within"], f"{args.people:,}"),
            (
                "delay slot → post p50 / p99 / max (sim. min)",
                f"{r['p50']:.2f} / {r['p99']:.2f} / {r['max']:.2f}",
                "< 60",
            ),
            (
                "sends let go per instance",
                " / ".join(f"{n:,}" for n in r["per_instance"]),
                "—",
            ),
            (
                "peak sends let go by the pacers in any sim. minute (all instances)",
                r["peak_admitted"],
                f"≤ {args.budget}",
            ),
            (
                "peak posts arriving at Slack in any sim. minute",
                r["peak_minute"],
                "— (see note)",
            ),
            (
                "… the same, leaving out posts retried after a 429",
                r["peak_first_tries"],
                "— (see note)",
            ),
            (
                "chat.postMessage calls, by answer",
                " · ".join(f"{name} {n:,}" for name, n in r["answers"].most_common()),
                "—",
            ),
            ("peak sends in any simulated second", r["peak_second"], "—"),
            (
                "bot budget / fake Slack budget (per sim. min)",
                f"{args.budget} / {args.slack_budget}",
                "—",
            ),
            ("429s: injected at random / all answered", f"{r['injected']} / {refused}", "—"),
        ],
    )
    verdicts = {
        "every nudge delivered within its interval": r["within"] == args.people == checked.sent,
        "none twice": checked.duplicates == 0,
        "peak never above the budget (sends let go by the pacers)": r["peak_admitted"]
        <= args.budget,
    }
    for name, ok in verdicts.items():
        print(f"{'PASS' if ok else 'FAIL'} {name}")
    print(
        "note: posts arriving at the fake Slack can exceed the pacer's count by the jitter "
        "between the pacer's clock reading and the post's arrival (a few real ms, i.e. "
        f"{args.speed:g} times that in simulated time, the fake sharing this process's GIL)."
    )


def _kinds(kinds: dict[str, int]) -> str:
    return f"{kinds.get('scheduled', 0):,} / {kinds.get('late', 0):,}"


if __name__ == "__main__":
    sys.exit(main())
