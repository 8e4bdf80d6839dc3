"""The gate in front of Bolt: what needs no secret to send is refused before it is parsed, with
one log line and no body in the log; health checks answer GET and HEAD."""

from __future__ import annotations

import http.client
import logging
import time
import urllib.parse

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.web import MAX_BODY
from tests.support.signed_requests import SIGNING_SECRET, SlackSender

FORGED_LINE = "INJECTED 2026 CRITICAL fake log line"


def raw_post(slack: SlackSender, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST with exactly these headers (urllib would add a Content-Length of its own)."""
    url = urllib.parse.urlsplit(slack.events_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.putrequest("POST", url.path, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        if body:
            connection.send(body)
        reply = connection.getresponse()
        return reply.status, reply.read()
    finally:
        connection.close()


def signed_headers(body: bytes, timestamp: str | None = None) -> dict[str, str]:
    timestamp = timestamp or str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp, body=body)
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(len(body)),
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature or "",
    }


def test_a_body_over_one_mebibyte_is_413_before_it_is_read(slack, caplog):
    caplog.set_level(logging.INFO)
    status, _ = raw_post(
        slack,
        b"",  # the length alone refuses it: nothing of the body is sent or read
        {"Content-Type": "application/json", "Content-Length": str(MAX_BODY + 1)},
    )
    assert status == 413
    assert [r.getMessage() for r in caplog.records if "refused" in r.getMessage()] == [
        f"refused POST /slack/events: body of {MAX_BODY + 1} bytes"
    ]


def test_a_post_without_a_length_is_411(slack):
    status, _ = raw_post(slack, b"", {"Content-Type": "application/json"})
    assert status == 411


@pytest.mark.parametrize(
    "timestamp", ["soon", "", "-1", "1e9", "five minutes ago", "99999999999999999999"]
)
def test_missing_stale_or_unreadable_timestamps_are_401(slack, timestamp, caplog):
    if timestamp == "five minutes ago":  # computed here: test ids must not change with the clock
        timestamp = str(int(time.time()) - 301)
    body = b"command=%2Fstretch&text=&user_id=U0001&team_id=T0001"
    headers = signed_headers(body) | {"X-Slack-Request-Timestamp": timestamp}
    status, _ = raw_post(slack, body, headers)
    assert status == 401
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_a_forged_body_is_refused_in_one_line_without_the_body(slack, caplog):
    caplog.set_level(logging.DEBUG)
    body = f"command=%2Fstretch&text=x\n{FORGED_LINE}\n".encode() + b"A" * 50_000
    headers = signed_headers(body) | {"X-Slack-Signature": "v0=" + "0" * 64}
    status, _ = raw_post(slack, body, headers)
    assert status == 401
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert FORGED_LINE not in logged and "AAAA" not in logged
    assert "refused POST /slack/events: wrong signature" in logged


def test_a_body_that_is_not_utf8_is_401(slack):
    body = b"command=%2Fstretch&text=\xff\xfe"
    headers = signed_headers(b"command=%2Fstretch&text=") | {"Content-Length": str(len(body))}
    status, _ = raw_post(slack, body, headers)
    assert status == 401


def test_a_signed_body_that_does_not_parse_is_400_with_one_warning(slack, caplog):
    body = b"payload=%7Bnot+json"
    status, _ = raw_post(slack, body, signed_headers(body))
    assert status == 400
    assert not [r for r in caplog.records if r.exc_info]
    assert [r.levelname for r in caplog.records if "could not read" in r.getMessage()] == [
        "WARNING"
    ]


def test_a_signed_command_still_gets_its_answer(slack):
    assert slack.command("help").status == 200


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_health_checks_answer_get_and_head(slack, method):
    url = urllib.parse.urlsplit(slack.events_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.request(method, "/healthz")
    reply = connection.getresponse()
    body = reply.read()
    connection.close()
    assert reply.status == 200
    assert body == (b"" if method == "HEAD" else b'{"ok": true}')
