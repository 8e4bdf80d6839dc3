"""The WSGI application: Bolt on `POST /slack/events`, a health check on `GET /healthz`."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.jobs.requests_in_flight import RequestsInFlight

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_wsgi_app(
    bolt_app: App, healthy: Callable[[], bool], requests: RequestsInFlight
) -> WSGIApp:
    """Bolt checks signatures and timestamps (401); anything unexpected becomes a 400, not a 500.
    Slack's requests are counted in `requests`, for background work that yields to them."""
    slack = SlackRequestHandler(bolt_app, path="/slack/events")

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            ok = _safely(healthy)
            return _json(start_response, "200 OK" if ok else "503 Service Unavailable", {"ok": ok})
        try:
            with requests.request():
                return list(slack(environ, start_response))
        except Exception:
            logger.exception(
                "could not handle %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
            )
            return _json(start_response, "400 Bad Request", {"ok": False, "error": "bad_request"})

    return application


def _safely(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except Exception:
        logger.exception("health check failed")
        return False


def _json(start_response: Callable[..., Any], status: str, payload: dict[str, Any]) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
