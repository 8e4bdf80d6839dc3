"""`python -m bot` as a real process, as an operator runs it: its environment, and a context that
waits for `/healthz`, then stops it with SIGTERM and keeps what it printed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.signed_requests import SIGNING_SECRET
from tests.support.wsgi_server import free_port


def serving_env(slack_api_url: str, workdir: Path, **overrides: str) -> dict[str, str]:
    """The process environment: this one's without any Slack or database setting, then a bot
    token, the tests' signing secret, a free port and a SQLite file in `workdir`."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    return {
        **inherited,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api_url,
        "PORT": str(free_port()),
        "DATABASE_URL": f"sqlite:///{workdir}/bot.db",
        **overrides,
    }


@dataclass
class Served:
    process: subprocess.Popen
    base_url: str
    output: str = ""  # all it printed, once stopped

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])


@contextmanager
def serving(env: dict[str, str], workdir: Path, *args: str) -> Iterator[Served]:
    """`python -m bot *args` answering on `env["PORT"]`; SIGTERM when the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(process, f"http://127.0.0.1:{env['PORT']}")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(served.base_url + "/healthz", timeout=2) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read()
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.2)
        yield served
    finally:
        process.send_signal(signal.SIGTERM)
        served.output, _ = process.communicate(timeout=30)
