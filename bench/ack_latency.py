"""Ack latency of `/stretch` and of a Done click, next to the framework's floor.

Starts the real app exactly as the Procfile's `web:` line runs it (`python -m bot serve`: gunicorn,
one asyncio worker, whole requests run on eight threads; SQLite file; `SLACK_API_URL` pointing at
a FakeSlack served by this process) and, side by side, a bare Bolt app that only acks
(`bench/bare_bolt_app.py`) served the same way. Then, at each concurrency, sends signed `/stretch`
commands and Done clicks to both, alternating between the apps in rounds so that drift hits both
alike.

A Done click carries the Done button value of a real `/stretch` answer from the bot: each click
a card never clicked before (minted by untimed `/stretch` requests before the round), by one of
`--people` different people (400: no two clicks of a round by the same person, so no Home
refresh merges with another), so every click records a completion, answers on its response_url
and refreshes a Home tab. The bare app gets the same requests and only acks.

What the bot does after its acks is counted in its CPU time: after each round the benchmark
waits until the worker's CPU goes quiet (its after-ack answers and Home refreshes done), so that
work neither hides from the bot's column nor lands in the bare app's round.

    .venv/bin/python -m bench.ack_latency [--quick] [--requests N] [--concurrency 1,8,32]

Target: p99 within 1.2x of the bare app; no error at 32 concurrent requests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    PYTHON,
    ROOT,
    SIGNING_SECRET,
    BotProcess,
    children,
    free_port,
    machine,
    print_table,
    say,
    sqlite_database,
)
from bench.load import LoadResult, run_load
from tests.support.fake_slack import FakeSlack
from tests.support.signed_requests import SlackSender

DONE = "exercise_done"
PEOPLE = 400
TARGET_RATIO = 1.2
QUIET_CPU_MS = 5.0  # CPU per 0.5 s below which a worker counts as done with a round


@dataclass
class Server:
    name: str
    sender: SlackSender
    master_pid: int

    def cpu_seconds(self) -> float:
        """CPU time used so far by the gunicorn worker (where the app runs)."""
        return sum(cpu_seconds(pid) for pid in children(self.master_pid))

    def settle(self, timeout: float = 10.0) -> float:
        """Wait until the worker's CPU goes quiet (what it does after its acks is done); its
        CPU seconds then."""
        deadline = time.monotonic() + timeout
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.cpu_seconds()
            if (now - before) * 1000 < QUIET_CPU_MS:
                return now
            before = now
        return before


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_bare_app(fake: FakeSlack, workdir: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn with the options `bot.server.GunicornServer` uses, serving the bare Bolt app."""
    port = free_port()
    env = {
        **os.environ,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.base_url,
        "PYTHONPATH": str(ROOT),
    }
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "--worker-class",
        "asgi",
        "--asgi-lifespan",
        "off",
        "--workers",
        "1",
        "--timeout",
        "30",
        "--graceful-timeout",
        "20",
        "--access-logfile",
        "-",
        "--bind",
        f"0.0.0.0:{port}",
        "bench.bare_bolt_app:served",
    ]
    log = open(workdir / "bare.log", "w")  # noqa: SIM115 — the child owns it
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()
    return process, f"http://127.0.0.1:{port}"


def wait_for_ack(sender: SlackSender, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if sender.command("", user=person(0)).status == 200:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the bare app did not come up")
        time.sleep(0.1)


def done_value(answer: dict[str, Any]) -> str | None:
    """The value of the Done button in a `/stretch` answer's blocks."""
    stack: list[Any] = [answer.get("blocks", [])]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("action_id") == DONE:
                return item.get("value")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def person(index: int) -> str:
    return f"U8{index % PEOPLE:05d}"


class Traffic:
    """The two kinds of request; the bot's Done clicks each use a card not clicked before."""

    def __init__(self) -> None:
        self.cards: list[tuple[str, str]] = []  # (user, Done value), in the order minted
        self.clicked = 0  # cards used so far
        self._lock = threading.Lock()

    def command(self, sender: SlackSender, collect: bool, first_person: int = 0):
        def send(i: int) -> str | None:
            user = person(first_person + i)
            reply = sender.command("", user=user)
            if reply.status != 200:
                return f"HTTP {reply.status}: {reply.body[:80]}"
            if collect:
                value = done_value(reply.json())
                if value is None:
                    return "no Done button in the answer"
                with self._lock:
                    self.cards.append((user, value))
            return None

        return send

    def mint(self, sender: SlackSender, count: int) -> None:
        """Fresh cards for the next `count` Done clicks (untimed)."""
        missing = self.clicked + count - len(self.cards)
        if missing > 0:
            run_load(self.command(sender, True, first_person=len(self.cards)), missing, 8)

    def done(self, sender: SlackSender, fresh: bool):
        """Clicks on fresh cards (the bot), or on any card (the bare app, which only acks)."""
        start = self.clicked

        def send(i: int) -> str | None:
            user, value = self.cards[start + i if fresh else i % len(self.cards)]
            reply = sender.action(DONE, value, user=user)
            return None if reply.status == 200 else f"HTTP {reply.status}: {reply.body[:80]}"

        return send


def measure(
    servers: list[Server], traffic: Traffic, levels: list[int], requests: int, rounds: int
) -> dict[tuple[str, str, int], LoadResult]:
    results: dict[tuple[str, str, int], LoadResult] = {}
    per_round = max(requests // rounds, 1)
    for concurrency in levels:
        for round_number in range(rounds):
            say(f"concurrency {concurrency}, round {round_number + 1}/{rounds}")
            for kind in ("/stretch", "Done click"):
                order = servers if round_number % 2 == 0 else servers[::-1]
                for server in order:
                    is_bot = server.name == "bot"
                    if kind == "/stretch":
                        send = traffic.command(server.sender, collect=False)
                    else:
                        if is_bot:
                            traffic.mint(server.sender, per_round)
                        send = traffic.done(server.sender, fresh=is_bot)
                    cpu_before = server.settle()
                    result = run_load(send, per_round, concurrency)
                    result.cpu_s = server.settle() - cpu_before
                    if kind == "Done click" and is_bot:
                        traffic.clicked += per_round
                    key = (kind, server.name, concurrency)
                    results[key] = results[key].merge(result) if key in results else result
    return results


def report(results: dict[tuple[str, str, int], LoadResult], levels: list[int]) -> list[str]:
    rows, verdicts = [], []
    for kind in ("/stretch", "Done click"):
        for concurrency in levels:
            bare = results[(kind, "bare Bolt", concurrency)]
            for name in ("bot", "bare Bolt"):
                r = results[(kind, name, concurrency)]
                ratio = r.p(99) / bare.p(99) if bare.p(99) else 0.0
                rows.append(
                    (
                        kind,
                        concurrency,
                        name,
                        r.count,
                        r.p(50),
                        r.p(95),
                        r.p(99),
                        r.per_second,
                        r.cpu_ms,
                        r.errors,
                        f"{ratio:.2f}x" if name == "bot" else "—",
                    )
                )
            bot = results[(kind, "bot", concurrency)]
            ratio = bot.p(99) / bare.p(99) if bare.p(99) else float("inf")
            ok = ratio <= TARGET_RATIO and (concurrency < 32 or bot.errors == 0)
            verdicts.append(
                f"{'PASS' if ok else 'MISS'} {kind} at {concurrency}: p99 {ratio:.2f}x bare "
                f"(target ≤ {TARGET_RATIO}x), {bot.errors} errors"
            )
            for sample in bot.error_samples[:2]:
                verdicts.append(f"     e.g. {sample}")
    print_table(
        "Ack latency (ms): the bot vs a bare Bolt app, same gunicorn settings",
        [
            "request",
            "conc.",
            "app",
            "n",
            "p50",
            "p95",
            "p99",
            "req/s",
            "CPU ms/req",
            "errors",
            "p99/bare",
        ],
        rows,
    )
    return verdicts


def wait_for_confirmations(
    fake: FakeSlack, expected: int, timeout: float = 60
) -> tuple[int, float]:
    """The bot answers a Done click after the ack (respond to the response_url): wait for all."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        got = len(fake.calls_to("response_url"))
        if got >= expected:
            return got, time.monotonic() - started
        time.sleep(0.2)
    return len(fake.calls_to("response_url")), time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (about 40 s)")
    parser.add_argument("--requests", type=int, help="per app, request kind and concurrency")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated levels")
    parser.add_argument("--rounds", type=int, default=2, help="alternations between the apps")
    parser.add_argument(
        "--bot-command",
        default="-m bot serve",
        help="what runs after `python` for the bot (default: the Procfile's `-m bot serve`; "
        "another script for a what-if experiment)",
    )
    parser.add_argument(
        "--bot-pythonpath",
        metavar="DIR",
        help="serve the bot from another checkout (a before/after comparison)",
    )
    args = parser.parse_args(argv)
    requests = args.requests or (150 if args.quick else 800)
    levels = [int(level) for level in args.concurrency.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="bench-ack-"))
    print(f"machine: {machine()}")

    with FakeSlack() as fake:
        for index in range(PEOPLE):
            fake.add_user(person(index), tz="Europe/Berlin")
        bot = BotProcess(
            fake.base_url,
            sqlite_database(workdir, "ack.db"),
            env={"PYTHONPATH": args.bot_pythonpath} if args.bot_pythonpath else {},
            workdir=workdir,
            command=tuple(args.bot_command.split()),
        )
        bare_process, bare_url = start_bare_app(fake, workdir)
        try:
            bot.start()
            response_url = fake.response_url("bench")
            bot_sender = SlackSender(bot.url, SIGNING_SECRET, response_url)
            bare_sender = SlackSender(bare_url, SIGNING_SECRET, response_url)
            wait_for_ack(bare_sender, bare_process)
            servers = [
                Server("bot", bot_sender, bot.pid),
                Server("bare Bolt", bare_sender, bare_process.pid),
            ]
            traffic = Traffic()
            say("warming up both apps (everyone's first /stretch, a Done each)")
            for server in servers:
                is_bot = server.name == "bot"
                run_load(traffic.command(server.sender, collect=is_bot), PEOPLE, 8)
                run_load(traffic.done(server.sender, fresh=is_bot), PEOPLE, 8)
            traffic.clicked = PEOPLE
            results = measure(servers, traffic, levels, requests, args.rounds)
            verdicts = report(results, levels)
            bot_dones = PEOPLE + sum(
                r.count
                for (kind, name, _), r in results.items()
                if (kind, name) == ("Done click", "bot")
            )
            got, waited = wait_for_confirmations(fake, bot_dones)
            print(
                f"\nDone confirmations sent by the bot after the ack: {got}/{bot_dones} "
                f"(all in within {waited:.1f} s of the last click)"
            )
            print("\n".join(verdicts))
        finally:
            bot.stop()
            bare_process.terminate()
            bare_process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
