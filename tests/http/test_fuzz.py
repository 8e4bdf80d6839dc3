"""Fuzzing every inbound handler with hypothesis: any text, any JSON, and the app answers without
a 500, without an ERROR and without a traceback in the log (the app in process, each listener done
before its answer: tests/support/in_process.py). The chosen malformed shapes, and the rows they
must not create: tests/http/test_malformed.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.blocks import ids
from bot.blocks.settings import SETTINGS_CALLBACK
from tests.support.in_process import Answer, InProcessApp, Troubles

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


@pytest.fixture
def app(container, fake_slack):
    fake_slack.add_user("U0001")
    return InProcessApp(container), fake_slack.response_url("fuzz")


def dispatch(app, send) -> None:
    """Send one request (`send(InProcessApp) -> Answer`); no 5xx, and nothing troubling logged."""
    with Troubles() as troubles:
        answer: Answer = send(app[0])
    assert answer.status < 500, answer
    assert troubles.lines() == []


def form(payload: dict[str, Any]):
    return lambda in_process: in_process.payload(payload)


@FUZZ
@given(text=st.text(max_size=120), channel=st.sampled_from(["C0001", "D0001", "G0001", ""]))
def test_any_slash_command_text(app, text, channel):
    fields = {
        "command": "/stretch",
        "text": text,
        "user_id": "U0001",
        "team_id": "T0001",
        "channel_id": channel,
        "response_url": app[1],
        "trigger_id": "1.2.3",
    }
    dispatch(app, lambda in_process: in_process.form(fields))


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
                "response_url": app[1],
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
    envelope = {
        "type": "event_callback",
        "team_id": "T0001",
        "api_app_id": "A1",
        "event": event,
        "event_id": "Ev1",
        "event_time": 1,
    }
    dispatch(app, lambda in_process: in_process.post(json.dumps(envelope), "application/json"))
