"""`python -m bot serve` under clients that send slowly or not at all: a connection holds no
thread until its whole request has arrived, so the health check and Slack's requests go on."""

from __future__ import annotations

import socket
import time
import urllib.request

from tests.support.serving import serving, serving_env
from tests.support.signed_requests import SIGNING_SECRET, SlackSender

SLOW_CLIENTS = 100


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
    with serving(serving_env(fake_slack.base_url, tmp_path), tmp_path, "serve") as bot:
        sender = SlackSender(bot.base_url, SIGNING_SECRET, fake_slack.response_url("slow"))
        slow = [slow_client(bot.port, n % 3) for n in range(SLOW_CLIENTS)]
        try:
            for _ in range(3):
                time.sleep(1)
                health_body, health = timed(
                    lambda: urllib.request.urlopen(bot.base_url + "/healthz", timeout=5).read()
                )
                reply, command = timed(lambda: sender.command("help"))
                assert health_body == b'{"ok": true}'
                assert reply.status == 200 and "/stretch list" in reply.json()["text"]
                assert health < 1 and command < 1, (health, command)
        finally:
            for connection in slow:
                connection.close()
    assert "Traceback" not in bot.output
