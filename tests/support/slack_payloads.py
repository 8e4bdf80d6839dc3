"""What Slack sends an app for a slash command, a button and an event, as dicts: the same
payloads reach the app signed over HTTP (`signed_requests.py`) or in Socket Mode envelopes
(`fake_socket_mode.py`)."""

from __future__ import annotations

import time
from typing import Any

TEAM = "T0001"
TRIGGER_ID = "13345224609.738474920.8088930838d88f008e0"


def slash_command(
    text: str,
    response_url: str,
    *,
    user: str = "U0001",
    team: str = TEAM,
    channel: str = "C0001",
    **extra: Any,
) -> dict[str, Any]:
    """`/stretch <text>`: the form fields of the HTTP request, the payload of the envelope."""
    return {
        "command": "/stretch",
        "text": text,
        "user_id": user,
        "user_name": user.lower(),
        "team_id": team,
        "team_domain": "example",
        "channel_id": channel,
        "channel_name": "general",
        "response_url": response_url,
        "trigger_id": TRIGGER_ID,
        "token": "legacy",
        "api_app_id": "A0001",
        **extra,
    }


def block_action(
    action_id: str,
    value: str,
    response_url: str,
    *,
    user: str = "U0001",
    team: str = TEAM,
    container: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A click on a button of an ephemeral message (unless `container` says otherwise)."""
    return {
        "type": "block_actions",
        "team": {"id": team, "domain": "example"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0001",
        "token": "legacy",
        "container": container
        or {
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": "C0001",
            "is_ephemeral": True,
        },
        "trigger_id": TRIGGER_ID,
        "channel": {"id": "C0001", "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "exercise_actions",
                "type": "button",
                "value": value,
                "action_ts": "1700000001.000200",
            }
        ],
        **extra,
    }


def event_callback(event: dict[str, Any], *, team: str = TEAM) -> dict[str, Any]:
    """An Events API delivery of `event`."""
    return {
        "token": "legacy",
        "team_id": team,
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": "Ev0001",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
    }
