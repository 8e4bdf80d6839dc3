"""Signed requests shaped like Slack's: slash commands, block actions and events.

Signatures come from slack_sdk's own `SignatureVerifier`, the same code Bolt uses to check them.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from slack_sdk.signature import SignatureVerifier

from tests.support.slack_payloads import (
    TEAM,
    TRIGGER_ID,
    block_action,
    event_callback,
    slash_command,
)

SIGNING_SECRET = "test-signing-secret"  # what the tests' app and processes are configured with


@dataclass
class Reply:
    status: int
    body: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


class SlackSender:
    def __init__(self, app_url: str, signing_secret: str, response_url: str) -> None:
        self.events_url = app_url + "/slack/events"
        self._verifier = SignatureVerifier(signing_secret)
        self.response_url = response_url

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        timestamp = int(time.time()) if timestamp is None else timestamp
        signature = signature or self._verifier.generate_signature(
            timestamp=str(timestamp), body=body
        )
        request = urllib.request.Request(
            self.events_url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": str(timestamp),
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode())

    def command(
        self,
        text: str = "",
        *,
        user: str = "U0001",
        team: str = TEAM,
        channel: str = "C0001",
        **extra: Any,
    ) -> Reply:
        form = slash_command(
            text, self.response_url, user=user, team=team, channel=channel, **extra
        )
        return self.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")

    def action(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U0001",
        team: str = TEAM,
        container: dict[str, Any] | None = None,
        response_url: str | None = None,
        **extra: Any,
    ) -> Reply:
        """A click; `response_url` is the one Slack sends with it (by default the sender's)."""
        payload = block_action(
            action_id,
            value,
            response_url or self.response_url,
            user=user,
            team=team,
            container=container,
            **extra,
        )
        return self.interaction(payload)

    def event(
        self, event: dict[str, Any], *, team: str = TEAM, headers: dict[str, str] | None = None
    ) -> Reply:
        return self.envelope(event_callback(event, team=team), headers=headers)

    def interaction(self, payload: dict[str, Any]) -> Reply:
        """A block action or view submission, whatever its shape: the form field `payload`."""
        return self.post(
            urllib.parse.urlencode({"payload": json.dumps(payload)}),
            "application/x-www-form-urlencoded",
        )

    def envelope(self, envelope: dict[str, Any], headers: dict[str, str] | None = None) -> Reply:
        """An Events API delivery, whatever its shape."""
        return self.post(json.dumps(envelope), "application/json", headers=headers)

    def view_submission(
        self,
        callback_id: str,
        values: dict[str, Any],
        *,
        user: str = "U0001",
        team: str = TEAM,
        view_id: str = "V0001",
        private_metadata: str = "",
        blocks: list[dict[str, Any]] | None = None,
    ) -> Reply:
        """`blocks`: the submitted view's blocks, which Slack sends back with the values."""
        payload = {
            "type": "view_submission",
            "team": {"id": team, "domain": "example"},
            "user": {"id": user, "username": user.lower(), "team_id": team},
            "api_app_id": "A0001",
            "token": "legacy",
            "trigger_id": TRIGGER_ID,
            "view": {
                "id": view_id,
                "type": "modal",
                "callback_id": callback_id,
                "team_id": team,
                "blocks": blocks or [],
                "state": {"values": values},
                "private_metadata": private_metadata,
                "hash": "156772938.1827394",
            },
        }
        return self.interaction(payload)
