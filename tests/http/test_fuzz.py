"""Fuzzing every inbound handler with hypothesis: any text, any JSON, and the app answers without
a 500 and without an exception escaping a listener.

Listeners normally run after the ack on Bolt's thread pool; here the app's listeners, on the
container's services and behind the app's own WSGI wrapper, are registered on a Bolt app that runs
them before the response (`process_before_response`), so whatever they raise surfaces in this
test's example."""

from __future__ import annotations

import io
import json
import logging
import time
import urllib.parse
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_bolt import App
from slack_sdk.signature import SignatureVerifier

from bot.blocks import ids
from bot.blocks.settings import SETTINGS_CALLBACK
from bot.jobs.requests_in_flight import RequestsInFlight
from bot.listeners import register_listeners
from bot.web import make_wsgi_app
from tests.support.signed_requests import SIGNING_SECRET

ACTION_IDS = sorted(value for name, value in vars(ids).items() if name.isupper())
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class ListenerFailures(logging.Handler):
    """Collects what the app's one error handler logs ("listener failed …")."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("listener failed"):
            self.failures.append(self.format(record))


@pytest.fixture
def app(container, fake_slack):
    """The app's listeners on the container's services, in a Bolt app that runs them before it
    responds, behind the app's own WSGI wrapper."""
    fake_slack.add_user("U0001")
    bolt_app = App(
        client=container.clients.for_team(""),
        signing_secret=SIGNING_SECRET,
        process_before_response=True,
    )
    register_listeners(bolt_app, container.services)
    wsgi_app = make_wsgi_app(bolt_app, lambda: True, RequestsInFlight(), SIGNING_SECRET)
    watcher = ListenerFailures()
    logging.getLogger().addHandler(watcher)
    yield wsgi_app, watcher, fake_slack.response_url("fuzz")
    logging.getLogger().removeHandler(watcher)


def dispatch(app, body: str, content_type: str) -> None:
    """Through the real WSGI application (Bolt behind our wrapper), in process."""
    wsgi_app, watcher, _ = app
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp, body=body)
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
        "HTTP_X_SLACK_SIGNATURE": signature,
    }
    statuses: list[str] = []
    watcher.failures.clear()
    b"".join(wsgi_app(environ, lambda status, headers: statuses.append(status)))
    assert int(statuses[0].split()[0]) < 500, statuses
    assert watcher.failures == []


def form(payload: dict[str, Any]) -> str:
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


@FUZZ
@given(text=st.text(max_size=120), channel=st.sampled_from(["C0001", "D0001", "G0001", ""]))
def test_any_slash_command_text(app, text, channel):
    body = urllib.parse.urlencode(
        {
            "command": "/stretch",
            "text": text,
            "user_id": "U0001",
            "team_id": "T0001",
            "channel_id": channel,
            "response_url": app[2],
            "trigger_id": "1.2.3",
        }
    )
    dispatch(app, body, "application/x-www-form-urlencoded")


@FUZZ
@given(
    action_id=st.sampled_from(ACTION_IDS),
    value=st.one_of(st.text(max_size=40), JSON.map(json.dumps)),
    container=st.sampled_from(
        [{"type": "message", "message_ts": "1.1"}, {"type": "view", "view_id": "V1"}, {}]
    ),
)
def test_any_button_value(app, action_id, value, container):
    dispatch(
        app,
        form(
            {
                "type": "block_actions",
                "user": {"id": "U0001", "team_id": "T0001"},
                "team": {"id": "T0001"},
                "container": container,
                "trigger_id": "1.2.3",
                "response_url": app[2],
                "actions": [
                    {
                        "action_id": action_id,
                        "block_id": "b",
                        "type": "button",
                        "value": value,
                        "action_ts": "1.1",
                    }
                ],
            }
        ),
        "application/x-www-form-urlencoded",
    )


@FUZZ
@given(values=JSON)
def test_any_settings_submission(app, values):
    dispatch(
        app,
        form(
            {
                "type": "view_submission",
                "user": {"id": "U0001", "team_id": "T0001"},
                "team": {"id": "T0001"},
                "view": {
                    "id": "V1",
                    "type": "modal",
                    "callback_id": SETTINGS_CALLBACK,
                    "state": {"values": values},
                },
            }
        ),
        "application/x-www-form-urlencoded",
    )


@FUZZ
@given(
    event_type=st.sampled_from(
        ["app_home_opened", "user_change", "dnd_updated_user", "app_uninstalled", "tokens_revoked"]
    ),
    fields=st.dictionaries(
        st.sampled_from(["user", "tab", "dnd_status", "tokens", "profile"]), JSON, max_size=4
    ),
)
def test_any_event(app, event_type, fields):
    event = {"type": event_type, "event_ts": "1.1", **fields}
    dispatch(
        app,
        json.dumps(
            {
                "type": "event_callback",
                "team_id": "T0001",
                "api_app_id": "A1",
                "event": event,
                "event_id": "Ev1",
                "event_time": 1,
            }
        ),
        "application/json",
    )
