"""The 10:02 click storm: a challenge day posted in a 1,000-person channel, and everyone clicks
Done within seconds (issue 16).

Starts the real app (`python -m bot serve`, default settings, one instance on SQLite or one or
two on PostgreSQL) against the tests' FakeSlack served by this process, with `--people` members.
A challenge is started with a signed `/stretch challenge start`, its first day made due now, and
the bot's own tick posts it. Then the storm: each person clicks the day's Done once at a moment
drawn at random within `--seconds` (and `--twice` of them click again a moment later), sent open
loop — each click leaves at its planned moment, whether or not earlier ones were answered, as
Slack sends them — and each latency is counted from that planned moment, so a backlog shows.
With two instances the clicks alternate between them, as a load balancer would.

The same storm then goes to the bare Bolt app (`bench/bare_bolt_app.py`, served the same way),
which only acks: the framework's floor under the same clicks.

Afterwards: every click acked (HTTP 200), each person counted once (challenge Dones and
completions in the database), every click answered on its response_url (counted / already
counted), the leaderboard's last `chat.update` showing the right total and how long after the
last click it came, the shortest gap between two `chat.update`s of the board, and nothing left
waiting (no answer arriving late, the board not dirty).

    .venv/bin/python -m bench.storm [--database sqlite|postgres] [--instances 1|2]
        [--people 1000] [--twice 100] [--seconds 10] [--workers N] [--no-bare]

Targets: p99 < 1 s and within 1.5x of the bare app, no backlog (the last click answered within
a second of the last planned moment), every click acked, each person counted once, the board
right within 5 s of the last click, no `chat.update` of the board within 3 s of the one before.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, update

from bench.ack_latency import Server, start_bare_app, wait_for_ack
from bench.common import (
    PYTHON,
    SIGNING_SECRET,
    BotProcess,
    engine_for,
    fresh_database,
    machine,
    percentile,
    print_table,
    say,
)
from bot.blocks.ids import CHALLENGE_DONE
from bot.db.models import Challenge, ChallengeDay, ChallengeDone, Completion
from tests.support.answers import button_value
from tests.support.fake_slack import FakeSlack
from tests.support.signed_requests import SlackSender

CHANNEL = "C0STORM"
STARTER = "U9000000"
ZONE = "Europe/Berlin"
SENDER_THREADS = 400  # enough that a slow server, not the load generator, makes the backlog
P99_LIMIT_MS = 1000.0
BARE_RATIO = 1.5
BOARD_WITHIN_S = 5.0
BOARD_GAP_S = 3.0


def person(index: int) -> str:
    return f"U5{index:06d}"


class TimedSlack(FakeSlack):
    """The tests' FakeSlack, noting when each `chat.update` and response_url answer came."""

    def __init__(self) -> None:
        super().__init__()
        self.moments: list[tuple[float, str, dict]] = []
        self._moments_lock = threading.Lock()

    def answer(self, request):
        reply = super().answer(request)
        if request.method in ("chat.update", "response_url"):
            with self._moments_lock:
                self.moments.append((time.monotonic(), request.method, dict(request.params)))
        return reply

    def timed(self, method: str) -> list[tuple[float, dict]]:
        with self._moments_lock:
            return [(at, params) for at, name, params in self.moments if name == method]


@dataclass(frozen=True)
class Click:
    at: float  # seconds after the storm starts
    user: str


def plan_clicks(people: int, twice: int, seconds: float, seed: int = 16) -> list[Click]:
    """Each person once at a random moment within `seconds`; `twice` of them again 0.2–2 s
    later (still within the window)."""
    rng = random.Random(seed)
    clicks = [Click(rng.uniform(0, seconds), person(i)) for i in range(people)]
    for first in rng.sample(clicks, twice):
        again = min(first.at + rng.uniform(0.2, 2.0), seconds)
        clicks.append(Click(again, first.user))
    return sorted(clicks, key=lambda click: click.at)


@dataclass
class StormResult:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    started: float = 0.0  # monotonic, the storm's second 0
    last_answer: float = 0.0  # monotonic, the last click's answer
    most_in_flight: int = 0
    cpu_s: float = 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q)

    @property
    def acked(self) -> int:
        return self.statuses.get(200, 0)


def run_storm(
    name: str, senders: list[SlackSender], clicks: list[Click], value: str, message_ts: str
) -> StormResult:
    """Send each click at its moment, open loop; latency from the planned moment."""
    result = StormResult(name)
    lock = threading.Lock()
    in_flight = 0
    container = {
        "type": "message",
        "message_ts": message_ts,
        "channel_id": CHANNEL,
        "is_ephemeral": False,
    }

    def send(number: int, click: Click) -> None:
        nonlocal in_flight
        planned = result.started + click.at
        time.sleep(max(0.0, planned - time.monotonic()))
        with lock:
            in_flight += 1
            result.most_in_flight = max(result.most_in_flight, in_flight)
        sender = senders[number % len(senders)]
        try:
            reply = sender.action(CHALLENGE_DONE, value, user=click.user, container=container)
            status, problem = reply.status, None if reply.status == 200 else reply.body[:80]
        except Exception as error:  # a refused connection or a timeout
            status, problem = 0, f"{type(error).__name__}: {error}"
        answered = time.monotonic()
        with lock:
            in_flight -= 1
            result.latencies_ms.append((answered - planned) * 1000)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            result.last_answer = max(result.last_answer, answered)
            if problem and len(result.errors) < 5:
                result.errors.append(problem)

    result.started = time.monotonic() + 1.0  # a second to get every sender thread waiting
    with ThreadPoolExecutor(SENDER_THREADS, thread_name_prefix="click") as pool:
        for number, click in enumerate(clicks):
            pool.submit(send, number, click)
    return result


# -- the bot side -----------------------------------------------------------------------------


def start_challenge(sender: SlackSender, fake: TimedSlack, database_url: str) -> tuple[str, str]:
    """Start a challenge in the channel, make its first day due now and wait for the bot's tick
    to post it; the day's Done value and the post's ts."""
    reply = sender.command("challenge start 5 days at 11:00", user=STARTER, channel=CHANNEL)
    if reply.status != 200:
        raise RuntimeError(f"challenge start: HTTP {reply.status} {reply.body[:200]}")
    engine = engine_for(database_url)
    deadline = time.monotonic() + 30
    while True:
        with engine.connect() as connection:
            day_id = connection.scalar(
                select(ChallengeDay.id).order_by(ChallengeDay.day_number).limit(1)
            )
        if day_id is not None:
            break
        if time.monotonic() > deadline:
            raise RuntimeError("the challenge was not started")
        time.sleep(0.2)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            update(ChallengeDay)
            .where(ChallengeDay.id == day_id)
            .values(
                due_at=now - timedelta(seconds=1),
                local_date=now.astimezone(ZoneInfo(ZONE)).date().isoformat(),
            )
        )
    engine.dispose()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for message in fake.messages(CHANNEL):
            if message.get("text", "").startswith("Challenge day 1"):
                return button_value(message, CHALLENGE_DONE), message["ts"]
        time.sleep(0.2)
    raise RuntimeError("the bot did not post the challenge day within 30 s")


@dataclass
class Afterwards:
    counted: int
    completions: int
    answers: int  # response_url answers to the storm's clicks
    answers_late_s: float  # the last response_url answer, after the last click's ack
    board_total: int | None
    board_after_s: float | None  # the first right board after the last click's ack
    board_updates: int
    board_min_gap_s: float | None
    still_dirty: bool


def board_total(params: dict) -> int | None:
    text = json.dumps(params.get("blocks", []))
    marker = "channel total: "
    if marker not in text:
        return None
    digits = text.split(marker, 1)[1]
    number = ""
    for char in digits:
        if char.isdigit() or char == ",":
            number += char
        else:
            break
    return int(number.replace(",", "")) if number else None


def afterwards(
    fake: TimedSlack,
    database_url: str,
    result: StormResult,
    expected_people: int,
    answers_before: int,
    clicks: int,
    board_ts: str,
    settle_s: float = 15.0,
) -> Afterwards:
    """Wait up to `settle_s` for the answers and the board, then read what was counted."""
    deadline = time.monotonic() + settle_s
    while time.monotonic() < deadline:
        answers = fake.timed("response_url")
        boards = [p for _, p in fake.timed("chat.update") if p.get("ts") == board_ts]
        right = boards and board_total(boards[-1]) == expected_people
        if len(answers) >= answers_before + clicks and right:
            break
        time.sleep(0.1)
    time.sleep(1.0)  # anything still queued would show now
    engine = engine_for(database_url)
    with engine.connect() as connection:
        counted = connection.scalar(select(func.count()).select_from(ChallengeDone)) or 0
        completions = (
            connection.scalar(
                select(func.count()).select_from(Completion).where(Completion.source == "challenge")
            )
            or 0
        )
        dirty = bool(
            connection.scalar(
                select(func.count())
                .select_from(Challenge)
                .where(Challenge.leaderboard_dirty.is_(True))
            )
        )
    engine.dispose()
    answers = fake.timed("response_url")
    boards = [(at, p) for at, p in fake.timed("chat.update") if p.get("ts") == board_ts]
    first_right = next(
        (at for at, p in boards if at >= result.started and board_total(p) == expected_people),
        None,
    )
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(boards) if a[0] >= result.started]
    return Afterwards(
        counted=counted,
        completions=completions,
        answers=len(answers) - answers_before,
        answers_late_s=max((at for at, _ in answers), default=0.0) - result.last_answer,
        board_total=board_total(boards[-1][1]) if boards else None,
        board_after_s=None if first_right is None else first_right - result.last_answer,
        board_updates=sum(1 for at, _ in boards if at >= result.started),
        board_min_gap_s=min(gaps) if gaps else None,
        still_dirty=dirty,
    )


def storm_bot(args, fake: TimedSlack, clicks: list[Click], workdir: Path) -> tuple:
    database_url = fresh_database(args.database, workdir, "storm")
    env = {"WEB_CONCURRENCY": str(args.workers)} if args.workers else {}
    if args.bot_pythonpath:  # another version of the bot, for a before/after comparison
        env["PYTHONPATH"] = args.bot_pythonpath
    bots = [
        BotProcess(fake.base_url, database_url, env=env, workdir=workdir / f"bot{n}")
        for n in range(args.instances)
    ]
    for bot in bots:
        bot.workdir.mkdir(exist_ok=True)
    try:
        for bot in bots:
            bot.start()
        response_url = fake.response_url("storm")
        senders = [SlackSender(bot.url, SIGNING_SECRET, response_url) for bot in bots]
        value, day_ts = start_challenge(senders[0], fake, database_url)
        board_ts = fake.messages(CHANNEL)[0]["ts"]  # the announcement, the first post
        time.sleep(6)  # the board update after the day's post has gone; the storm starts quiet
        servers = [
            Server(f"bot {n}", s, b.pid) for n, (s, b) in enumerate(zip(senders, bots, strict=True))
        ]
        cpu_before = sum(server.cpu_seconds() for server in servers)
        answers_before = len(fake.timed("response_url"))
        say(f"storm: {len(clicks)} clicks to {len(bots)} instance(s) on {args.database}")
        profiler = profile(bots[0], args.profile, args.seconds + 4) if args.profile else None
        result = run_storm(f"bot ×{len(bots)} ({args.database})", senders, clicks, value, day_ts)
        result.cpu_s = sum(server.cpu_seconds() for server in servers) - cpu_before
        if profiler is not None:
            profiler.wait(timeout=60)
        after = afterwards(
            fake, database_url, result, args.people, answers_before, len(clicks), board_ts
        )
        return result, after, bots
    finally:
        for bot in bots:
            bot.stop()


def profile(bot: BotProcess, path: str, seconds: float) -> subprocess.Popen:
    """py-spy sampling the (first) worker through the storm, as collapsed stacks in `path`."""
    return subprocess.Popen(
        [
            str(Path(PYTHON).parent / "py-spy"),
            "record",
            "--pid",
            str(bot.worker_pids()[0]),
            "--rate",
            "250",
            "--format",
            "raw",
            "--nonblocking",
            "--duration",
            str(int(seconds) + 1),
            "--output",
            path,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def storm_bare(fake: TimedSlack, clicks: list[Click], workdir: Path) -> StormResult:
    process, url = start_bare_app(fake, workdir)
    try:
        sender = SlackSender(url, SIGNING_SECRET, fake.response_url("bare"))
        wait_for_ack(sender, process)
        server = Server("bare", sender, process.pid)
        cpu_before = server.cpu_seconds()
        say(f"storm: {len(clicks)} clicks to the bare Bolt app")
        result = run_storm("bare Bolt", [sender], clicks, json.dumps({"day": 1}), "1.0")
        result.cpu_s = server.cpu_seconds() - cpu_before
        return result
    finally:
        process.terminate()
        process.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--twice", type=int, default=100, help="people who click twice")
    parser.add_argument("--seconds", type=float, default=10.0, help="the storm's window")
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY (default: 1)")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare Bolt app's storm")
    parser.add_argument(
        "--bot-pythonpath",
        metavar="DIR",
        help="serve the bot from another checkout (e.g. `git worktree add /tmp/before main`)",
    )
    parser.add_argument(
        "--profile", metavar="PATH", help="py-spy's collapsed stacks of the worker (pip py-spy)"
    )
    args = parser.parse_args(argv)
    if args.instances > 1 and args.database == "sqlite":
        parser.error("several instances share a database: use --database postgres")
    workdir = Path(tempfile.mkdtemp(prefix="bench-storm-"))
    clicks = plan_clicks(args.people, args.twice, args.seconds)
    print(f"machine: {machine()}")

    with TimedSlack() as fake:
        fake.add_channel(CHANNEL, name="stretch-storm")
        fake.add_user(STARTER, tz=ZONE)
        for index in range(args.people):
            fake.add_user(person(index), tz=ZONE)
        result, after, _ = storm_bot(args, fake, clicks, workdir)
        results = [result]
        if not args.no_bare:
            results.append(storm_bare(fake, clicks, workdir))
    verdicts = report(args, clicks, results, after)
    print("\n".join(verdicts))
    return 0


def report(args, clicks: list[Click], results: list[StormResult], after: Afterwards) -> list[str]:
    window = max(click.at for click in clicks)
    rows = [
        (
            r.name,
            len(clicks),
            r.acked,
            r.p(50),
            r.p(95),
            r.p(99),
            max(r.latencies_ms),
            r.last_answer - r.started,
            r.most_in_flight,
            r.cpu_s * 1000 / len(clicks),
        )
        for r in results
    ]
    print_table(
        f"Click storm: {args.people:,} people, {args.twice:,} twice, within {args.seconds:g} s "
        "(latency ms from each click's planned moment)",
        [
            "app",
            "clicks",
            "acked 200",
            "p50",
            "p95",
            "p99",
            "max",
            "last answer s",
            "most in flight",
            "CPU ms/click",
        ],
        rows,
    )
    print_table(
        "After the storm (the bot)",
        [
            "counted",
            "completions",
            "answers",
            "last answer after last ack s",
            "board total",
            "board right after s",
            "board updates",
            "shortest gap s",
            "still dirty",
        ],
        [
            (
                after.counted,
                after.completions,
                after.answers,
                after.answers_late_s,
                after.board_total if after.board_total is not None else "—",
                after.board_after_s if after.board_after_s is not None else "never",
                after.board_updates,
                after.board_min_gap_s if after.board_min_gap_s is not None else "—",
                after.still_dirty,
            )
        ],
    )
    bot = results[0]
    verdicts = []

    def verdict(ok: bool, text: str) -> None:
        verdicts.append(f"{'PASS' if ok else 'MISS'} {text}")

    verdict(bot.acked == len(clicks), f"every click acked: {bot.acked}/{len(clicks)}")
    verdict(bot.p(99) < P99_LIMIT_MS, f"p99 {bot.p(99):.0f} ms (< {P99_LIMIT_MS:.0f} ms)")
    if len(results) > 1:
        ratio = bot.p(99) / results[1].p(99) if results[1].p(99) else float("inf")
        verdict(ratio <= BARE_RATIO, f"p99 {ratio:.2f}x the bare app's (≤ {BARE_RATIO}x)")
    late = bot.last_answer - bot.started - window
    verdict(late < 1.0, f"kept pace: last click answered {late:.2f} s after its moment")
    verdict(
        after.counted == args.people and after.completions == args.people,
        f"each person counted once: {after.counted} challenge Dones, {after.completions} "
        f"completions for {args.people} people",
    )
    verdict(
        after.board_after_s is not None and after.board_after_s <= BOARD_WITHIN_S,
        "board right "
        + ("never" if after.board_after_s is None else f"{after.board_after_s:.2f} s")
        + f" after the last click (≤ {BOARD_WITHIN_S:g} s)",
    )
    verdict(
        after.board_min_gap_s is None or after.board_min_gap_s >= BOARD_GAP_S - 0.2,
        f"board updated {after.board_updates} times, shortest gap "
        + ("—" if after.board_min_gap_s is None else f"{after.board_min_gap_s:.2f} s")
        + f" (≥ {BOARD_GAP_S:g} s)",
    )
    verdict(
        not after.still_dirty and after.answers_late_s < 5.0,
        f"nothing left queued: last answer {after.answers_late_s:.2f} s after the last ack, "
        f"board dirty: {after.still_dirty}",
    )
    for error in bot.errors:
        verdicts.append(f"     e.g. {error}")
    return verdicts


if __name__ == "__main__":
    sys.exit(main())
