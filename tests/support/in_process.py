"""The app's listeners driven in process, each request answered only once its listener is done.

Listeners normally run after the ack on Bolt's thread pool; here the app's listeners, on the
container's services and behind the app's own WSGI wrapper, are registered on a Bolt app that runs
them before the response (`process_before_response`), so whatever they raise or log belongs to
the request that caused it."""

from __future__ import annotations

import io
import json
import logging
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from slack_sdk.signature import SignatureVerifier

from bot.bootstrap import Container
from bot.jobs.requests_in_flight import RequestsInFlight
from bot.listeners import register_listeners
from bot.listeners.shape import RefuseMalformed
from bot.web import make_wsgi_app
from tests.support.signed_requests import SIGNING_SECRET

FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


class InProcessApp:
    def __init__(self, container: Container) -> None:
        bolt_app = App(
            client=container.clients.for_team(""),
            signing_secret=SIGNING_SECRET,
            process_before_response=True,
            before_authorize=RefuseMalformed(),
        )
        register_listeners(bolt_app, container.services)
        self._wsgi_app = make_wsgi_app(bolt_app, lambda: True, RequestsInFlight(), SIGNING_SECRET)

    def post(self, body: str, content_type: str) -> Answer:
        """A signed POST to /slack/events, through the real WSGI application."""
        timestamp = str(int(time.time()))
        verifier = SignatureVerifier(SIGNING_SECRET)
        raw = body.encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/slack/events",
            "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(raw)),
            "wsgi.input": io.BytesIO(raw),
            "HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp,
            "HTTP_X_SLACK_SIGNATURE": verifier.generate_signature(timestamp=timestamp, body=body),
        }
        statuses: list[str] = []
        answer = b"".join(self._wsgi_app(environ, lambda status, _: statuses.append(status)))
        return Answer(int(statuses[0].split()[0]), answer.decode())

    def payload(self, payload: Any) -> Answer:
        """An interactive payload (block action, view submission), form-encoded as Slack does."""
        return self.post(urllib.parse.urlencode({"payload": json.dumps(payload)}), FORM)

    def form(self, fields: dict[str, str]) -> Answer:
        """A slash command."""
        return self.post(urllib.parse.urlencode(fields), FORM)


class Troubles(logging.Handler):
    """Collects the log records an operator would be paged or puzzled by: any ERROR, and any
    record that carries a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)

    def __enter__(self) -> Troubles:
        self.records.clear()
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *_: object) -> None:
        logging.getLogger().removeHandler(self)

    def lines(self) -> list[str]:
        return [
            f"{r.name} {r.levelname}: {r.getMessage()} exc={bool(r.exc_info)}" for r in self.records
        ]
