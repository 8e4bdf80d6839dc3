"""`python -m bot socket`, the README's default path, end to end: the real process connects to a
fake Socket Mode endpoint (a WebSocket on loopback that `apps.connections.open` at the fake Web
API points to), answers envelopes with acks, reconnects when Slack asks, stops on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bot.blocks.ids import DONE
from tests.support.answers import button
from tests.support.fake_slack import FakeSlack
from tests.support.fake_socket_mode import FakeSocketMode
from tests.support.reminder_helpers import wait_for
from tests.support.serving import APP_TOKEN, connected, serving_env
from tests.support.slack_limits import message_problems


@pytest.fixture
def socket_mode(fake_slack: FakeSlack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode(fake_slack) as endpoint:
        yield endpoint


@pytest.fixture
def bot(tmp_path, fake_slack, socket_mode):
    env = serving_env(fake_slack.base_url, tmp_path, SLACK_APP_TOKEN=APP_TOKEN)
    with connected(env, tmp_path, socket_mode) as running:
        yield running
    assert running.process.returncode == 0, running.output
    assert "Traceback" not in running.output, running.output


def answer(ack: dict) -> dict:
    """The ephemeral answer a slash command got in its ack's payload."""
    assert set(ack) == {"envelope_id", "payload"}, ack
    body = ack["payload"]
    assert body["response_type"] == "ephemeral"
    assert message_problems(body) == []
    return body


def test_connects_with_the_app_token_and_gets_hello(bot, socket_mode, fake_slack):
    [link] = socket_mode.links
    opened = fake_slack.calls_to("apps.connections.open")
    assert [call.token for call in opened] == [APP_TOKEN, APP_TOKEN]  # the check, the connection
    assert opened[-1].response["url"].endswith(f"?ticket={link.ticket}")
    assert not link.closed


def test_stretch_help_is_acked_with_the_help_text(bot, socket_mode):
    body = answer(socket_mode.ack(socket_mode.command("help")))
    assert "/stretch list" in body["text"]
    assert "not medical advice" in json.dumps(body["blocks"])


def test_done_on_a_card_records_the_completion(bot, socket_mode, fake_slack):
    fake_slack.add_user("U0001", tz="America/New_York")
    card = answer(socket_mode.ack(socket_mode.command("hamstring")))
    assert card["blocks"][0]["text"]["text"] == "Standing hamstring stretch"
    clicked = socket_mode.action(DONE, button(card, DONE)["value"])
    assert socket_mode.ack(clicked) == {"envelope_id": clicked}  # a button's ack carries nothing
    wait_for(lambda: fake_slack.calls_to("response_url"), timeout=10)
    [reply] = [call.params for call in fake_slack.calls_to("response_url")]
    assert reply["replace_original"] is True
    assert "1 exercise today" in reply["text"]


def test_app_home_opened_publishes_the_home_tab(bot, socket_mode, fake_slack):
    fake_slack.add_user("U0001")
    opened = socket_mode.event(
        {"type": "app_home_opened", "user": "U0001", "tab": "home", "channel": "D0001"}
        | {"event_ts": "1.0"}
    )
    assert socket_mode.ack(opened) == {"envelope_id": opened}
    wait_for(lambda: fake_slack.home("U0001") is not None, timeout=10)
    assert fake_slack.last_call("views.publish").params["user_id"] == "U0001"


def test_reconnects_when_slack_asks_and_goes_on_answering(bot, socket_mode, fake_slack):
    first = socket_mode.links[0]
    opens = len(fake_slack.calls_to("apps.connections.open"))
    socket_mode.disconnect("refresh_requested")
    second = socket_mode.wait_for_links(2)
    assert second.ticket != first.ticket
    assert len(fake_slack.calls_to("apps.connections.open")) == opens + 1
    wait_for(lambda: first.closed, timeout=10)  # the client drops the old connection
    body = answer(socket_mode.ack(socket_mode.command("help")))
    assert "/stretch list" in body["text"]
    assert any(message.get("envelope_id") for message in second.received)


def test_sigterm_exits_0_without_a_traceback(tmp_path, fake_slack, socket_mode):
    env = serving_env(fake_slack.base_url, tmp_path, SLACK_APP_TOKEN=APP_TOKEN)
    with connected(env, tmp_path, socket_mode) as running:
        running.process.send_signal(signal.SIGTERM)
        running.process.wait(timeout=15)
        wait_for(lambda: socket_mode.links[0].closed, timeout=5)
    assert running.process.returncode == 0, running.output
    assert "Traceback" not in running.output, running.output


@pytest.mark.parametrize("args", [["socket"], []], ids=["socket", "default"])
def test_a_refused_app_token_exits_2_before_connecting(tmp_path, fake_slack, socket_mode, args):
    fake_slack.set_error("apps.connections.open", "invalid_auth")
    env = serving_env(fake_slack.base_url, tmp_path, SLACK_APP_TOKEN="xapp-wrong")
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert "SLACK_APP_TOKEN" in line and "invalid_auth" in line and "xapp-wrong" not in line
    assert socket_mode.links == []
