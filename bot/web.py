"""The WSGI application: a gate in front of Bolt on `POST /slack/events`, and a health check on
`GET`/`HEAD /healthz`.

The gate refuses what needs no secret to send before anything is parsed: a body without a
length (411) or over `MAX_BODY` (413), and a request whose timestamp or signature is missing,
stale or wrong (401) — checked by slack-sdk's `SignatureVerifier` on the raw bytes. A refusal is
logged as one line, never with the body (a forged body is the sender's to choose, newlines too).
Only then does Bolt see the request; what Bolt cannot read becomes a 400 with one warning line.
"""

from __future__ import annotations

import hmac
import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from bot.jobs.requests_in_flight import RequestsInFlight

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
StartResponse = Callable[..., Any]

EVENTS_PATH = "/slack/events"
# Slack's largest request to this app is a click on the Home tab, about 8 KB.
MAX_BODY = 1024 * 1024
# Slack signs the time it sent the request; older ones may be replays (Slack's own limit).
MAX_AGE_SECONDS = 5 * 60


class Refused(Exception):
    """A request answered without reaching Bolt: `status` and a reason for the log line."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def make_wsgi_app(
    bolt_app: App,
    healthy: Callable[[], bool],
    requests: RequestsInFlight,
    signing_secret: str,
    now: Callable[[], float] = time.time,
) -> WSGIApp:
    """Slack's requests are counted in `requests`, for background work that yields to them."""
    slack = SlackRequestHandler(bolt_app, path=EVENTS_PATH)
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
        if path == "/healthz" and method in ("GET", "HEAD"):
            ok = _safely(healthy)
            reply = _json(start_response, "200 OK" if ok else "503 Service Unavailable", {"ok": ok})
            return [] if method == "HEAD" else reply
        if method == "POST" and path == EVENTS_PATH:
            try:
                body = _read_body(environ)
                _check_signature(verifier, environ, body, now())
            except Refused as refused:
                logger.warning("refused %s %s: %s", method, path, refused)
                return _json(start_response, refused.status, {"ok": False, "error": str(refused)})
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        try:
            with requests.request():
                return list(slack(environ, start_response))
        except Exception as error:  # what Bolt could not read: the client's fault, not ours
            logger.warning("could not read %s %s: %s", method, path, type(error).__name__)
            return _json(start_response, "400 Bad Request", {"ok": False, "error": "bad_request"})

    return application


def _read_body(environ: dict[str, Any]) -> bytes:
    """The whole body, read only once its declared length is known to be acceptable."""
    declared = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not declared:
        raise Refused("411 Length Required", "no Content-Length")
    if not declared.isdigit():
        raise Refused("400 Bad Request", "unreadable Content-Length")
    length = int(declared)
    if length > MAX_BODY:
        raise Refused("413 Content Too Large", f"body of {length} bytes")
    body = environ["wsgi.input"].read(length)
    if len(body) != length:
        raise Refused("400 Bad Request", "body shorter than its Content-Length")
    return body


def _check_signature(
    verifier: SignatureVerifier | None, environ: dict[str, Any], body: bytes, now: float
) -> None:
    if verifier is None:
        raise Refused("401 Unauthorized", "SLACK_SIGNING_SECRET is not set")
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        raise Refused("401 Unauthorized", "missing or stale timestamp")
    try:
        expected = verifier.generate_signature(timestamp=timestamp, body=body)
    except UnicodeDecodeError:  # Slack sends UTF-8; anything else was not signed by Slack
        raise Refused("401 Unauthorized", "body is not UTF-8") from None
    if expected is None or not hmac.compare_digest(expected.encode(), signature.encode()):
        raise Refused("401 Unauthorized", "wrong signature")


def _safely(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except Exception as error:
        logger.warning("health check failed: %s", type(error).__name__)
        return False


def _json(start_response: StartResponse, status: str, payload: dict[str, Any]) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
