"""Slow and idle clients against `python -m bot serve`: do `/healthz` and signed `/stretch` still
answer while they hold their connections?

Opens `--clients` connections (a third connect and say nothing, a third send half a header, a
third send whole headers and a tenth of a 1,000-byte body) and holds them for `--seconds`,
probing `/healthz` and a signed `/stretch help` every two seconds. A server that gives a thread
to a connection before its request is complete (gunicorn's gthread worker) stops answering
once the slow clients outnumber its threads.

    .venv/bin/python -m bench.slow_clients [--clients 100] [--seconds 60]
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import SIGNING_SECRET, BotProcess, percentile, print_table, sqlite_database
from tests.support.fake_slack import FakeSlack
from tests.support.signed_requests import SlackSender

TARGET_SECONDS = 1.0
# What each slow client sends before it stops: nothing, half a header, a tenth of a body.
OPENINGS = (
    b"",
    b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slack-Sig",
    b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n\r\ncommand=%2F",
)


def timed(call) -> float:
    start = time.monotonic()
    try:
        call()
    except OSError:
        return float("inf")
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100, help="slow connections held")
    parser.add_argument("--seconds", type=float, default=60, help="how long they are held")
    args = parser.parse_args()
    with FakeSlack() as fake:
        workdir = Path(tempfile.mkdtemp(prefix="bench-slow-"))
        bot = BotProcess(fake.base_url, sqlite_database(workdir)).start()
        sender = SlackSender(bot.url, SIGNING_SECRET, fake.response_url("slow"))
        slow = []
        try:
            for n in range(args.clients):
                connection = socket.create_connection(("127.0.0.1", bot.port))
                connection.sendall(OPENINGS[n % len(OPENINGS)])
                slow.append(connection)
            health, command = [], []
            deadline = time.monotonic() + args.seconds
            while time.monotonic() < deadline:
                time.sleep(2)
                health.append(
                    timed(lambda: urllib.request.urlopen(bot.url + "/healthz", timeout=5).read())
                )
                command.append(timed(lambda: sender.command("help")))
        finally:
            for connection in slow:
                connection.close()
            bot.stop()
    rows = [
        (name, len(times), percentile(times, 50) * 1000, max(times) * 1000)
        for name, times in (("/healthz", health), ("/stretch help", command))
    ]
    print_table(
        f"{args.clients} slow clients held {args.seconds:.0f} s: answers to probes every 2 s (ms)",
        ["probe", "n", "p50", "max"],
        rows,
    )
    worst = max(max(health), max(command))
    verdict = "PASS" if worst < TARGET_SECONDS else "MISS"
    print(
        f"\n{verdict} slowest probe {worst * 1000:.0f} ms (target < {TARGET_SECONDS * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
