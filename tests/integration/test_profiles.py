"""The per-request profile reader: asks Slack at most once per method, and is freed with its
request (no process-wide cache keeping every instance alive)."""

from __future__ import annotations

import gc
import weakref

from slack_sdk import WebClient

from bot.slack.profiles import ClientProfile
from tests.support.fake_slack import FakeSlack


def client_for(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake_slack.base_url)


def test_each_method_asks_slack_once(fake_slack: FakeSlack) -> None:
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    profile = ClientProfile(client_for(fake_slack), "U0001")

    assert profile.user()["tz"] == "Europe/Berlin"
    assert profile.user()["tz"] == "Europe/Berlin"
    assert profile.dnd() is not None
    profile.dnd()

    assert len(fake_slack.calls_to("users.info")) == 1
    assert len(fake_slack.calls_to("dnd.info")) == 1


def test_a_refusal_is_none_and_not_asked_again(fake_slack: FakeSlack) -> None:
    fake_slack.set_error("users.info", "user_not_found")
    profile = ClientProfile(client_for(fake_slack), "U0404")

    assert profile.user() is None
    assert profile.user() is None
    assert len(fake_slack.calls_to("users.info")) == 1


def test_instances_are_freed_after_use(fake_slack: FakeSlack) -> None:
    fake_slack.add_user("U0001")
    client = client_for(fake_slack)
    profiles = [ClientProfile(client, "U0001") for _ in range(20)]
    for profile in profiles:
        profile.user()
        profile.dnd()
    alive = [weakref.ref(profile) for profile in profiles]

    del profiles, profile
    gc.collect()

    assert [ref() for ref in alive] == [None] * 20
