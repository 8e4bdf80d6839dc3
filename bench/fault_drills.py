"""Fault drills: a fan-out of scheduled nudges hit by the faults production will meet.

Each drill starts the real app (`python -m bot serve`, TICK_SECONDS=1) on its own database and
its own FakeSlack, makes `--people` people due at once, strikes mid fan-out, and waits for the
fan-out to finish. The bot's pacer lets sends go at `--budget` a minute (a third of the people by
default), so the fan-out takes about three minutes, and the strike comes a little after the
first third, while the instance holds claims it has not sent yet. With `--quick` the budget is
out of the way and the strike comes a third of the way through a fan-out of a few seconds.

1. kill -9 — SIGKILL to the instance's whole process group mid fan-out, then a restart. The dead
   instance's claims come back when their lease (`claiming.LEASE`, 2 min) runs out; `--quick`
   fast-forwards those leases while the instance is down instead of waiting.
2. PostgreSQL restart — `pg_ctlcluster … main restart` under load (the cluster is checked, and
   started if need be, at the end). Claims whose result could not be recorded wait for their
   lease; `--quick` fast-forwards the leases of claims left behind once the fan-out stalls.
3. Slack 500s — every chat.postMessage, conversations.open and conversations.history answers
   HTTP 500 for `--outage` seconds (60; 10 with `--quick`).
4. 429 burst — the next `--burst` chat.postMessage calls answer 429 with Retry-After: 2.
5. Lease (not with `--quick`) — two instances, no budget, Slack answering each post in
   `--slow-post` seconds (0.8), so that sending everything takes longer than a claim's lease:
   the instances must renew their claims before posting and never take over one whose post is
   still in flight (`--lease-people`, 250).

The drills run side by side, each with its own instances and fake Slack, so the whole set
takes as long as the slowest. After each: every nudge sent once, by its id in the DM's
metadata — none lost, none twice — and the instance still answers GET /healthz with 200.

    .venv/bin/python -m bench.fault_drills [--quick] [--only kill,postgres,500,429,lease]
        [--people N] [--budget B] [--outage S] [--burst N] [--lease-people N] [--slow-post S]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, update
from sqlalchemy.exc import OperationalError

from bench.checks import delivery, posted_nudges, resolved
from bench.common import (
    BotProcess,
    Population,
    analyze,
    due_now,
    engine_for,
    fresh_database,
    healthz,
    insert_people,
    machine,
    noon_zone,
    print_table,
    say,
    user_id,
)
from bench.fakes import SlowSlack
from bot.db.leases import LEASE
from bot.db.models import Nudge
from tests.support.fake_slack import FakeSlack

SETUP = threading.Lock()  # Alembic's migration context is global: one upgrade at a time
FAILING_METHODS = ("chat.postMessage", "conversations.open", "conversations.history")


@dataclass
class Fanout:
    """One drill's world: a fake Slack, a database with people due, and the instance."""

    name: str
    people: int
    fake: FakeSlack
    url: str
    engine: Engine
    bot: BotProcess
    due_at: datetime
    notes: list[str] = field(default_factory=list)
    more_bots: list[BotProcess] = field(default_factory=list)

    def add_instance(self) -> BotProcess:
        """Another instance on the same database and Slack."""
        bot = BotProcess(
            self.fake.base_url, self.url, env=self.bot.env, workdir=self.bot.workdir / "second"
        )
        bot.workdir.mkdir(exist_ok=True)
        self.more_bots.append(bot.start())
        return bot

    def users(self):
        return (user_id(i) for i in range(self.people))

    def dms(self) -> int:
        return len(posted_nudges(self.fake, self.users()))

    def sent(self) -> int:
        """Nudges sent, or superseded by the person's next one (see `checks.delivery`)."""
        try:
            return resolved(self.engine, self.due_at)
        except OperationalError:
            return -1  # the database is restarting

    def wait_for_dms(self, count: int, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while self.dms() < count and time.monotonic() < deadline:
            time.sleep(0.2)

    def wait_all_sent(self, timeout: float, on_stall: Callable[[], None] | None = None) -> float:
        """Seconds until every nudge is marked sent (or the timeout); `on_stall` runs when
        nothing has moved for 5 s."""
        started = last_change = time.monotonic()
        last = -2
        while time.monotonic() - started < timeout:
            sent = self.sent()
            if sent >= self.people:
                break
            if sent != last:
                last, last_change = sent, time.monotonic()
            elif on_stall and time.monotonic() - last_change > 5:
                on_stall()
                last_change = time.monotonic()
            time.sleep(0.5)
        return time.monotonic() - started


def expire_claims(engine: Engine) -> int:
    """As if `LEASE` had passed: claims still held become claimable again."""
    with engine.begin() as connection:
        return connection.execute(
            update(Nudge)
            .where(Nudge.status == "sending")
            .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
        ).rowcount


def start_fanout(name: str, kind: str, args, workdir: Path, fake: FakeSlack) -> Fanout:
    with SETUP:
        url = fresh_database(kind, workdir, f"drill{name}")
        engine = engine_for(url)
        now = datetime.now(UTC)
        population = Population(args.people, noon_zone(now), interval_minutes=120)
        insert_people(engine, population, now, due_now(now))
        analyze(engine)
    env = {
        "TICK_SECONDS": "1",
        "WORKSPACE_SENDS_PER_MINUTE": str(args.budget),
        "LOG_LEVEL": "WARNING",
    }
    bot = BotProcess(fake.base_url, url, env=env, workdir=workdir / name)
    (workdir / name).mkdir(exist_ok=True)
    bot.start()
    return Fanout(name, args.people, fake, url, engine, bot, now)


# -- the drills -------------------------------------------------------------------------------


def kill_drill(f: Fanout, args) -> float:
    f.wait_for_dms(args.strike_at)
    f.bot.kill9()
    f.notes.append(f"killed at {f.dms()} DMs")
    if args.quick:
        f.notes.append(f"{expire_claims(f.engine)} claims fast-forwarded")
    started = time.monotonic()
    f.bot.start()
    f.notes.append(f"restarted in {time.monotonic() - started:.1f} s")
    return f.wait_all_sent(LEASE.total_seconds() + 120)


def postgres_drill(f: Fanout, args) -> float:
    f.wait_for_dms(args.strike_at)
    f.notes.append(f"restart at {f.dms()} DMs")
    started = time.monotonic()
    restart_postgres()
    f.notes.append(f"PostgreSQL back in {time.monotonic() - started:.1f} s")
    health = healthz(f.bot.url)
    f.notes.append(f"/healthz right after: {health}")

    def fast_forward() -> None:
        if args.quick:
            f.notes.append(f"{expire_claims(f.engine)} stalled claims fast-forwarded")

    return f.wait_all_sent(LEASE.total_seconds() + 120, on_stall=fast_forward)


def slack_500_drill(f: Fanout, args) -> float:
    f.wait_for_dms(args.strike_at)
    f.notes.append(f"500s from {f.dms()} DMs, for {args.outage:g} s")
    for method in FAILING_METHODS:
        f.fake.fail_next(method, status=500, times=10**6)
    time.sleep(args.outage)
    f.notes.append(f"/healthz during the outage: {healthz(f.bot.url)}")
    f.fake.clear_errors()
    failed = sum(1 for call in f.fake.calls_to("chat.postMessage") if call.status == 500)
    f.notes.append(f"{failed} posts answered 500")
    return f.wait_all_sent(600)


def burst_429_drill(f: Fanout, args) -> float:
    f.wait_for_dms(args.strike_at)
    f.fake.fail_next("chat.postMessage", status=429, retry_after=2, times=args.burst)
    f.notes.append(f"{args.burst} × 429 (Retry-After 2) from {f.dms()} DMs")
    return f.wait_all_sent(600)


def lease_drill(f: Fanout, args) -> float:
    """Two instances, Slack slow to answer posts: the first instance's batch takes longer to
    send than its lease, the second, idle, takes over the rest while the first is still going."""
    f.wait_for_dms(1)
    f.add_instance()
    f.notes.append(f"2 instances; posts answered in {args.slow_post:g} s")
    return f.wait_all_sent(LEASE.total_seconds() * 3)


Drill = Callable[[Fanout, argparse.Namespace], float]
DRILLS: dict[str, tuple[str, str, Drill]] = {
    "kill": ("kill -9 mid fan-out, restart", "sqlite", kill_drill),
    "postgres": ("PostgreSQL restarted under load", "postgres", postgres_drill),
    "500": ("Slack answers 500 for a while", "sqlite", slack_500_drill),
    "429": ("a burst of 429s", "sqlite", burst_429_drill),
    "lease": ("2 instances, Slack slow to answer posts", "sqlite", lease_drill),
}
QUICK_DRILLS = "kill,postgres,500,429"  # the lease drill takes 2 minutes whatever the size


# -- PostgreSQL -------------------------------------------------------------------------------


def _cluster() -> list[str]:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    return [version, "main"]


def postgres_is_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


def restart_postgres() -> None:
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", *_cluster(), "restart"]
    subprocess.run(command, check=True, capture_output=True)
    ensure_postgres()


def ensure_postgres(timeout: float = 60) -> None:
    """PostgreSQL is up when this returns (started if it was left down)."""
    deadline = time.monotonic() + timeout
    while not postgres_is_ready():
        if time.monotonic() > deadline:
            start = ["pg_ctlcluster", "--skip-systemctl-redirect", *_cluster(), "start"]
            subprocess.run(start, check=False, capture_output=True)
            deadline = time.monotonic() + timeout
        time.sleep(0.5)


# -- running and judging ----------------------------------------------------------------------


@dataclass
class Outcome:
    key: str
    title: str
    people: int
    sent: int = 0
    superseded: int = 0
    dms: int = 0
    twice: int = 0
    lost: int = 0
    seconds: float = 0.0
    health: int = 0
    restarts: int = 0
    notes: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def passed(self) -> bool:
        return (
            not self.error
            and self.sent + self.superseded == self.people
            and self.sent == self.dms
            and self.twice == 0
            and self.lost == 0
            and self.health == 200
        )


def run_drill(key: str, args, workdir: Path) -> Outcome:
    title, kind, drill = DRILLS[key]
    if key == "lease":
        args = argparse.Namespace(**{**vars(args), "people": args.lease_people, "budget": 10**6})
        fake_slack = SlowSlack(args.slow_post, methods=frozenset({"chat.postMessage"}))
    else:
        fake_slack = FakeSlack()
    outcome = Outcome(key, title, args.people)
    with fake_slack as fake:
        fanout = None
        try:
            fanout = start_fanout(key, kind, args, workdir, fake)
            say(f"drill {key}: started")
            outcome.seconds = drill(fanout, args)
            outcome.health = healthz(fanout.bot.url)
            posted = posted_nudges(fake, fanout.users())
            checked = delivery(fanout.engine, posted, slot_until=fanout.due_at)
            outcome.sent, outcome.dms = checked.sent, checked.posted
            outcome.superseded = checked.superseded
            outcome.twice, outcome.lost = checked.duplicates, checked.lost
        except Exception as error:
            outcome.error = f"{type(error).__name__}: {error}"[:300]
        finally:
            if fanout is not None:
                outcome.notes = fanout.notes
                outcome.restarts = fanout.bot.starts - 1
                for bot in [fanout.bot, *fanout.more_bots]:
                    bot.stop()
                if "Traceback" in fanout.bot.log_text():
                    outcome.notes.append("tracebacks in the log (see the workdir)")
                fanout.engine.dispose()
    say(f"drill {key}: {'PASS' if outcome.passed else 'FAIL'}")
    return outcome


def report(outcomes: list[Outcome], workdir: Path) -> None:
    print_table(
        "Fault drills: a paced fan-out hit mid-way",
        [
            "drill", "nudges", "sent", "superseded", "DMs", "twice", "lost", "done after s",
            "/healthz", "notes",
        ],
        [
            (
                o.title, o.people, o.sent, o.superseded, o.dms, o.twice, o.lost, o.seconds,
                o.health, "; ".join(o.notes) or "—",
            )
            for o in outcomes
        ],
    )  # fmt: skip
    print()
    for o in outcomes:
        detail = o.error or (
            f"{o.sent}/{o.people} sent ({o.superseded} superseded by the person's next nudge), "
            f"{o.dms} DMs, {o.twice} twice, {o.lost} lost, "
            f"/healthz {o.health}"
        )
        print(f"{'PASS' if o.passed else 'FAIL'} {o.title}: {detail}")
    print(f"(logs of the instances: {workdir})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller, leases fast-forwarded")
    parser.add_argument(
        "--only",
        help=f"comma-separated, of {', '.join(DRILLS)} (default all; {QUICK_DRILLS} with --quick)",
    )
    parser.add_argument("--people", type=int, help="nudges per drill (600; 300 with --quick)")
    parser.add_argument(
        "--budget", type=int, help="WORKSPACE_SENDS_PER_MINUTE (a third of --people; no limit)"
    )
    parser.add_argument("--outage", type=float, help="seconds of 500s (60; 10 with --quick)")
    parser.add_argument("--burst", type=int, help="429s in the burst (40; 15 with --quick)")
    parser.add_argument("--lease-people", type=int, default=250, help="lease drill's (250)")
    parser.add_argument("--slow-post", type=float, default=0.8, help="lease drill's post, s")
    args = parser.parse_args(argv)
    args.people = args.people or (300 if args.quick else 600)
    args.budget = args.budget or (10**6 if args.quick else args.people // 3)
    # A little after the first third: claims held, not all sent.
    args.strike_at = args.people // 3 if args.quick else args.budget + args.people // 12
    args.outage = args.outage or (10.0 if args.quick else 60.0)
    args.burst = args.burst or (15 if args.quick else 40)
    workdir = Path(tempfile.mkdtemp(prefix="bench-drills-"))
    print(f"machine: {machine()}")
    keys = (args.only or (QUICK_DRILLS if args.quick else ",".join(DRILLS))).split(",")
    try:
        with ThreadPoolExecutor(len(keys)) as pool:
            outcomes = list(pool.map(lambda key: run_drill(key, args, workdir), keys))
    finally:
        ensure_postgres()
    report(outcomes, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
