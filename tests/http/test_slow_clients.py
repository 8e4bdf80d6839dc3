"""`python -m bot serve` under clients that send slowly or not at all: a connection holds no
thread until its whole request has arrived, so the health check and Slack's requests go on."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from tests.support.signed_requests import SIGNING_SECRET, SlackSender
from tests.support.wsgi_server import free_port

SLOW_CLIENTS = 100


def start_serving(tmp_path, fake_slack) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.base_url,
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return process, base
        except OSError:
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.2)


def slow_client(port: int, kind: int) -> socket.socket:
    """Idle (connected, silent), half a header, or whole headers and a tenth of the body."""
    connection = socket.create_connection(("127.0.0.1", port))
    if kind == 1:
        connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slack-Sig")
    elif kind == 2:
        connection.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\ncommand=%2F"
        )
    return connection


def timed(call):
    """What `call()` returns, and how many seconds it took."""
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def test_slow_and_idle_connections_leave_health_and_commands_answering(tmp_path, fake_slack):
    process, base = start_serving(tmp_path, fake_slack)
    port = int(base.rsplit(":", 1)[1])
    sender = SlackSender(base, SIGNING_SECRET, fake_slack.response_url("slow"))
    slow = [slow_client(port, n % 3) for n in range(SLOW_CLIENTS)]
    try:
        for _ in range(3):
            time.sleep(1)
            health_body, health = timed(
                lambda: urllib.request.urlopen(base + "/healthz", timeout=5).read()
            )
            reply, command = timed(lambda: sender.command("help"))
            assert health_body == b'{"ok": true}'
            assert reply.status == 200 and "/stretch list" in reply.json()["text"]
            assert health < 1 and command < 1, (health, command)
    finally:
        for connection in slow:
            connection.close()
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert "Traceback" not in output
