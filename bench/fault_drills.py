"""Fault drills: a fan-out of scheduled nudges hit by the faults production will meet.

Each drill starts the real app (`python -m bot serve`, TICK_SECONDS=1) on its own database and
its own FakeSlack, makes `--people` people due at once, strikes mid fan-out, and waits for the
fan-out to finish. The bot's pacer lets sends go at `--budget` a minute (a third of the people by
default), so the fan-out takes about three minutes, and the strike comes a little after the
first third, while the instance holds claims it has not sent yet. With `--quick` the budget is
out of the way and the strike comes a third of the way through a fan-out of a few seconds.

The kill, 500 and 429 drills also have `--summaries` weekly summaries and `--results` ended
challenges' results due (rows written as the bot writes them when they fall due), and strike each
kind in turn: the tick sends nudges, then results, then summaries, so one strike mid-nudges would
find the others not yet claimed. The strike comes as the fake Slack answers a third of each kind's
posts (`bench.fakes.Tripwires`): a kill -9 then lands after Slack took that post and before the
bot recorded it, with the rest of its claimed batch not posted yet — both crash windows at once.

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
metadata — none lost, none twice —, every summary and result posted once, by the row id in its
metadata, and the instance still answers GET /healthz with 200.

    .venv/bin/python -m bench.fault_drills [--quick] [--only kill,postgres,500,429,lease]
        [--people N] [--budget B] [--outage S] [--burst N] [--lease-people N] [--slow-post S]
        [--summaries N] [--results N]
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

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import OperationalError

from bench.checks import (
    NUDGE_EVENT,
    Once,
    delivery,
    posted_nudges,
    resolved,
    sent_once,
    tagged_posts,
)
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
from bench.fakes import Tripwires
from bot.db.leases import LEASE
from bot.db.models import (
    Challenge,
    ChallengeDay,
    ChallengeResult,
    Claimable,
    Nudge,
    Person,
    WeeklySummary,
)
from bot.jobs import challenge_results, weekly_summaries

SETUP = threading.Lock()  # Alembic's migration context is global: one upgrade at a time
FAILING_METHODS = ("chat.postMessage", "conversations.open", "conversations.history")


@dataclass(frozen=True)
class Kind:
    """A kind of row other than nudges that a drill makes due, and how its posts are told apart:
    the event type of their metadata, and the key of the row id in it."""

    name: str
    model: type[Claimable]
    done: str  # the status the step records once the row is posted
    event_type: str
    key: str


RESULTS = Kind(
    "challenge results", ChallengeResult, "posted", challenge_results.METADATA_EVENT, "result_id"
)
SUMMARIES = Kind(
    "weekly summaries", WeeklySummary, "sent", weekly_summaries.METADATA_EVENT, "summary_id"
)
OTHERS = (RESULTS, SUMMARIES)  # in the order the tick sends them, after the nudges
KIND_NAMES = {NUDGE_EVENT: "nudges"} | {kind.event_type: kind.name for kind in OTHERS}


@dataclass
class Fanout:
    """One drill's world: a fake Slack, a database with people due (and summaries and results,
    posted in `channels`, by kind), and the instance."""

    name: str
    people: int
    fake: Tripwires
    url: str
    engine: Engine
    bot: BotProcess
    due_at: datetime
    channels: dict[Kind, list[str]]
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

    def left(self) -> int:
        """Rows not done yet: nudges neither sent nor superseded by the person's next one (see
        `checks.delivery`), summaries and results not recorded as posted; -1 while the database
        is restarting."""
        try:
            left = self.people - resolved(self.engine, self.due_at)
            with self.engine.connect() as connection:
                for kind in self.channels:
                    left += connection.scalar(
                        select(func.count())
                        .select_from(kind.model)
                        .where(kind.model.status != kind.done)
                    )
            return left
        except OperationalError:
            return -1

    def once(self) -> list[Once]:
        """Each kind other than nudges: due, posted, posted twice, lost."""
        return [
            sent_once(
                self.engine,
                kind.name,
                kind.model,
                kind.done,
                tagged_posts(self.fake, channels, kind.event_type, kind.key),
            )
            for kind, channels in self.channels.items()
        ]

    def strike_each(
        self, strike_at: dict[str, int], strike: Callable[[], None] | None, then, timeout: float
    ) -> None:
        """Strike each kind as the fake answers its `strike_at[event type]`-th post: `strike()`
        in the fake's handler, before the answer goes back, then `then(kind name)` here."""
        for event_type, at in strike_at.items():
            self.fake.arm(event_type, at, strike)
        for _ in strike_at:
            tripped = self.fake.tripped.get(timeout=timeout)
            self.notes.append(f"{KIND_NAMES[tripped]} struck at #{strike_at[tripped]}")
            then(KIND_NAMES[tripped])

    def wait_for_dms(self, count: int, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while self.dms() < count and time.monotonic() < deadline:
            time.sleep(0.2)

    def wait_all_sent(self, timeout: float, on_stall: Callable[[], None] | None = None) -> float:
        """Seconds until every row is marked done (or the timeout); `on_stall` runs when
        nothing has moved for 5 s."""
        started = last_change = time.monotonic()
        last = -2
        while time.monotonic() - started < timeout:
            left = self.left()
            if left == 0:
                break
            if left != last:
                last, last_change = left, time.monotonic()
            elif on_stall and time.monotonic() - last_change > 5:
                on_stall()
                last_change = time.monotonic()
            time.sleep(0.5)
        return time.monotonic() - started


def expire_claims(engine: Engine) -> int:
    """As if `LEASE` had passed: claims still held, of any kind, become claimable again."""
    expired = datetime.now(UTC) - timedelta(seconds=1)
    with engine.begin() as connection:
        return sum(
            connection.execute(
                update(model).where(model.status == "sending").values(lease_until=expired)
            ).rowcount
            for model in (Nudge, ChallengeResult, WeeklySummary)
        )


def insert_due_summaries(engine: Engine, count: int, now: datetime) -> list[str]:
    """This week's summaries of the first `count` people, due now, as the step writes them when
    they fall due (`weekly_summary_due_at` stays empty: no others fall due); their user ids."""
    with engine.begin() as connection:
        people = connection.execute(
            select(Person.id, Person.slack_user_id).order_by(Person.id).limit(count)
        ).all()
        if not people:
            return []
        ids = [person.id for person in people]
        connection.execute(update(Person).where(Person.id.in_(ids)).values(weekly_summary=True))
        row = {"week": now.strftime("%G-W%V"), "due_at": now, "status": "pending"}
        connection.execute(
            insert(WeeklySummary),
            [{**row, "person_id": i, "attempts": 0, "created_at": now} for i in ids],
        )
    return [person.slack_user_id for person in people]


def insert_ended_challenges(
    engine: Engine, fake: Tripwires, workspace_id: int, count: int, now: datetime
) -> list[str]:
    """`count` challenges of a posted day each, just ended in channels of their own (a channel
    is paced on its own), their results due, as ending one writes them; their channels."""
    channels = [f"C{index:07d}" for index in range(count)]
    with engine.begin() as connection:
        for index, channel in enumerate(channels):
            fake.add_channel(channel, name=f"drill-{index}")
            challenge_id = connection.execute(
                insert(Challenge).values(
                    workspace_id=workspace_id, channel_id=channel, started_by=user_id(0),
                    tz="UTC", post_minute=11 * 60, status="ended", created_at=now, ended_at=now,
                )
            ).inserted_primary_key[0]  # fmt: skip
            connection.execute(
                insert(ChallengeDay).values(
                    challenge_id=challenge_id, day_number=1, local_date=now.date().isoformat(),
                    due_at=now, exercise_id="drill", status="posted", attempts=1,
                )
            )  # fmt: skip
            connection.execute(
                insert(ChallengeResult).values(
                    challenge_id=challenge_id, due_at=now, status="pending", attempts=0,
                    created_at=now,
                )
            )  # fmt: skip
    return channels


def start_fanout(name: str, kind: str, args, workdir: Path, fake: Tripwires) -> Fanout:
    with SETUP:
        url = fresh_database(kind, workdir, f"drill{name}")
        engine = engine_for(url)
        now = datetime.now(UTC)
        population = Population(args.people, noon_zone(now), interval_minutes=120)
        workspace_id = insert_people(engine, population, now, due_now(now))
        channels = {
            RESULTS: insert_ended_challenges(engine, fake, workspace_id, args.results, now),
            SUMMARIES: insert_due_summaries(engine, args.summaries, now),
        }
        analyze(engine)
    env = {
        "TICK_SECONDS": "1",
        "WORKSPACE_SENDS_PER_MINUTE": str(args.budget),
        "LOG_LEVEL": "WARNING",
    }
    bot = BotProcess(fake.base_url, url, env=env, workdir=workdir / name)
    (workdir / name).mkdir(exist_ok=True)
    bot.start()
    return Fanout(name, args.people, fake, url, engine, bot, now, channels)


# -- the drills -------------------------------------------------------------------------------


def strike_points(f: Fanout, args) -> dict[str, int]:
    """Where each kind is struck: a little after the first third of the nudges (`strike_at`),
    a third of the way through the summaries and the results (at least the first)."""
    points = {NUDGE_EVENT: args.strike_at}
    for kind, channels in f.channels.items():
        if channels:
            points[kind.event_type] = max(1, len(channels) // 3)
    return points


def kill_drill(f: Fanout, args) -> float:
    def restart(_kind: str) -> None:
        if args.quick:
            f.notes.append(f"{expire_claims(f.engine)} claims fast-forwarded")
        started = time.monotonic()
        f.bot.start()
        f.notes.append(f"restarted in {time.monotonic() - started:.1f} s")

    # Each kind's posts wait for the claims of the one before to come back after a kill.
    wait_for_trip = (LEASE * 2).total_seconds() + 120
    f.strike_each(strike_points(f, args), f.bot.kill9, restart, wait_for_trip)
    seconds = f.wait_all_sent(LEASE.total_seconds() + 120)
    looks = len(f.fake.calls_to("conversations.history"))
    f.notes.append(f"{looks} history checks before re-posting")
    return seconds


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
    def outage() -> None:
        for method in FAILING_METHODS:
            f.fake.fail_next(method, status=500, times=10**6)

    def wait_and_clear(_kind: str) -> None:
        time.sleep(args.outage)
        f.notes.append(f"/healthz during the outage: {healthz(f.bot.url)}")
        f.fake.clear_errors()

    f.notes.append(f"500s for {args.outage:g} s each")
    f.strike_each(strike_points(f, args), outage, wait_and_clear, 600)
    failed = sum(1 for call in f.fake.calls_to("chat.postMessage") if call.status == 500)
    f.notes.append(f"{failed} posts answered 500")
    return f.wait_all_sent(600)


def burst_429_drill(f: Fanout, args) -> float:
    def burst() -> None:
        f.fake.fail_next("chat.postMessage", status=429, retry_after=2, times=args.burst)

    f.notes.append(f"{args.burst} × 429 (Retry-After 2) each")
    f.strike_each(strike_points(f, args), burst, lambda _kind: None, 600)
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
# With summaries and results due too, each kind struck in turn; the others strike nudges only.
STRIKE_EACH_KIND = ("kill", "500", "429")


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
    kinds: list[Once] = field(default_factory=list)  # summaries and results: each posted once

    @property
    def passed(self) -> bool:
        return (
            not self.error
            and self.sent + self.superseded == self.people
            and self.sent == self.dms
            and self.twice == 0
            and self.lost == 0
            and self.health == 200
            and all(kind.passed for kind in self.kinds)
        )


def run_drill(key: str, args, workdir: Path) -> Outcome:
    title, kind, drill = DRILLS[key]
    if key not in STRIKE_EACH_KIND:  # nudges only, as before
        args = argparse.Namespace(**{**vars(args), "summaries": 0, "results": 0})
    if key == "lease":
        args = argparse.Namespace(**{**vars(args), "people": args.lease_people, "budget": 10**6})
        fake_slack = Tripwires(args.slow_post, methods=frozenset({"chat.postMessage"}))
    else:
        fake_slack = Tripwires()
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
            outcome.kinds = [kind for kind in fanout.once() if kind.due]
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
    print_table(
        "Weekly summaries and challenge results in the same drills: each posted once",
        ["drill", "kind", "due", "posted", "twice", "lost"],
        [(o.title, k.kind, k.due, k.posted, k.twice, k.lost) for o in outcomes for k in o.kinds],
    )
    print()
    for o in outcomes:
        detail = o.error or (
            f"{o.sent}/{o.people} sent ({o.superseded} superseded by the person's next nudge), "
            f"{o.dms} DMs, {o.twice} twice, {o.lost} lost, "
            + "".join(
                f"{k.kind} {k.posted}/{k.due} ({k.twice} twice, {k.lost} lost), " for k in o.kinds
            )
            + f"/healthz {o.health}"
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
    parser.add_argument(
        "--summaries", type=int, help="weekly summaries due in kill, 500, 429 (a tenth of --people)"
    )
    parser.add_argument(
        "--results", type=int, default=12, help="challenge results due in kill, 500, 429 (12)"
    )
    parser.add_argument("--slow-post", type=float, default=0.8, help="lease drill's post, s")
    args = parser.parse_args(argv)
    args.people = args.people or (300 if args.quick else 600)
    args.budget = args.budget or (10**6 if args.quick else args.people // 3)
    # A little after the first third: claims held, not all sent.
    args.strike_at = args.people // 3 if args.quick else args.budget + args.people // 12
    args.outage = args.outage or (10.0 if args.quick else 60.0)
    args.burst = args.burst or (15 if args.quick else 40)
    args.summaries = args.people // 10 if args.summaries is None else args.summaries
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
