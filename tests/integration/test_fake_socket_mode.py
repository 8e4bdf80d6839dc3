"""The fake Socket Mode endpoint speaks as Slack does: a URL from apps.connections.open opens
one connection, which starts with hello; envelopes go out, acks come back."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.support.fake_slack import APP_ID, FakeSlack
from tests.support.fake_socket_mode import FakeSocketMode


@pytest.fixture
def socket_mode(fake_slack: FakeSlack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode(fake_slack, wait=5) as endpoint:
        yield endpoint


def new_url(fake_slack: FakeSlack) -> str:
    client = WebClient(base_url=fake_slack.base_url)
    return client.apps_connections_open(app_token="xapp-1-A0001-1-test")["url"]


def test_a_connection_starts_with_hello_and_acks_are_recorded(fake_slack, socket_mode):
    url = new_url(fake_slack)
    assert url.startswith("ws://127.0.0.1:")
    with connect(url) as websocket:
        hello = json.loads(websocket.recv(timeout=5))
        assert hello["type"] == "hello"
        assert hello["connection_info"]["app_id"] == APP_ID
        link = socket_mode.wait_for_links(1)

        sent = socket_mode.command("help")
        envelope = json.loads(websocket.recv(timeout=5))
        assert envelope["envelope_id"] == sent
        assert envelope["type"] == "slash_commands"
        assert envelope["accepts_response_payload"] is True
        assert envelope["payload"]["command"] == "/stretch"
        assert envelope["payload"]["response_url"] == socket_mode.response_url

        websocket.send(json.dumps({"envelope_id": sent, "payload": {"text": "hi"}}))
        assert socket_mode.ack(sent) == {"envelope_id": sent, "payload": {"text": "hi"}}
        assert link.received == [{"envelope_id": sent, "payload": {"text": "hi"}}]

        socket_mode.disconnect()
        assert json.loads(websocket.recv(timeout=5))["reason"] == "refresh_requested"


def test_a_ticket_opens_one_connection_only(fake_slack, socket_mode):
    url = new_url(fake_slack)
    with connect(url) as websocket:
        websocket.recv(timeout=5)
        with pytest.raises(InvalidStatus) as refused:
            connect(url)
        assert refused.value.response.status_code == 401
    with pytest.raises(InvalidStatus):
        connect(url.replace("ticket=", "ticket=9"))
    assert len(socket_mode.links) == 1


def test_an_event_envelope_carries_retry_fields(fake_slack, socket_mode):
    with connect(new_url(fake_slack)) as websocket:
        websocket.recv(timeout=5)
        socket_mode.wait_for_links(1)
        socket_mode.event({"type": "app_home_opened", "user": "U0001"})
        envelope = json.loads(websocket.recv(timeout=5))
    assert envelope["type"] == "events_api"
    assert envelope["accepts_response_payload"] is False
    assert envelope["retry_attempt"] == 0
    assert envelope["payload"]["event"]["user"] == "U0001"
