"""`python -m bot` as a real process, as an operator runs it: its environment, and contexts that
wait until it is up — answering `/healthz` (HTTP) or connected to a fake Socket Mode endpoint —
then stop it with SIGTERM and keep what it printed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tests.support.signed_requests import SIGNING_SECRET
from tests.support.wsgi_server import free_port

if TYPE_CHECKING:
    from tests.support.fake_socket_mode import FakeSocketMode

APP_TOKEN = "xapp-1-A0001-1-test"  # an app-level token, for Socket Mode


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
class Running:
    process: subprocess.Popen
    output: str = ""  # all it printed, once stopped


R = TypeVar("R", bound=Running)


@dataclass
class Served(Running):
    base_url: str = ""

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])


@contextmanager
def serving(env: dict[str, str], workdir: Path, *args: str) -> Iterator[Served]:
    """`python -m bot *args` answering on `env["PORT"]`; SIGTERM when the block ends."""
    base_url = f"http://127.0.0.1:{env['PORT']}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as reply:
                return reply.status == 200
        except OSError:
            return False

    with _running(Served(_started(env, workdir, args), base_url=base_url), healthy) as served:
        yield served


@contextmanager
def connected(
    env: dict[str, str], workdir: Path, socket_mode: FakeSocketMode, *args: str
) -> Iterator[Running]:
    """`python -m bot *args` (default: `socket`) in Socket Mode, once it has connected to
    `socket_mode` and got its hello; SIGTERM when the block ends. `env` needs SLACK_APP_TOKEN."""
    already = len(socket_mode.links)
    process = _started(env, workdir, args or ("socket",))
    with _running(Running(process), lambda: len(socket_mode.links) > already) as running:
        yield running


def _started(env: dict[str, str], workdir: Path, args: tuple[str, ...]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@contextmanager
def _running(running: R, ready: Callable[[], bool]) -> Iterator[R]:
    process = running.process
    try:
        deadline = time.monotonic() + 30
        while not ready():
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "the process did not come up"
            time.sleep(0.2)
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        running.output, _ = process.communicate(timeout=30)
