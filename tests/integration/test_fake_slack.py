"""Tests of the test tools: the fake Slack Web API, driven through a real slack_sdk WebClient
(its Block Kit limits checker is tested in tests/domain/test_slack_limits.py)."""

import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from tests.support.block_kit import modal, section
from tests.support.fake_slack import FakeSlack, running_fake_slack
from tests.support.reminder_helpers import wait_for

TOKEN = "xoxb-test-token"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with running_fake_slack() as fake:
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.base_url)


def post_form(url: str, fields: dict) -> dict:
    """A form POST as raw as Slack's own clients send it (token as a form field)."""
    body = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=body)) as response:
        return json.loads(response.read())


# -- default answers ---------------------------------------------------------------------------


def test_auth_test_describes_the_bot(client):
    response = client.auth_test()

    assert response["team_id"] == "T0001"
    assert response["user_id"] == "UBOT"
    assert response["bot_id"] == "B0001"
    assert response["url"].startswith("https://")


def test_bolt_app_starts_against_the_fake(fake, client):
    App(client=client, signing_secret="secret")

    assert fake.last_call("auth.test").token == TOKEN


def test_post_to_a_user_lands_in_their_dm_with_increasing_ts(fake, client):
    first = client.chat_postMessage(channel="U1", text="Time to stretch")
    second = client.chat_postMessage(channel="U1", text="Again")

    assert first["channel"] == "D1"
    assert first["message"]["text"] == "Time to stretch"
    assert float(first["ts"]) < float(second["ts"])
    assert [m["text"] for m in fake.messages("U1")] == ["Time to stretch", "Again"]
    assert fake.messages("D1") == fake.messages("U1")


def test_calls_need_a_token(fake):
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=fake.base_url).chat_postMessage(channel="U1", text="hi")

    assert raised.value.response["error"] == "not_authed"


def test_unknown_method(client):
    with pytest.raises(SlackApiError) as raised:
        client.api_call("stretch.now")

    assert raised.value.response["error"] == "unknown_method"


def test_users_info_from_the_registry(fake, client):
    fake.add_user("U1", tz="Asia/Kathmandu", status_emoji=":palm_tree:", status_expiration=99)

    user = client.users_info(user="U1")["user"]

    assert user["tz"] == "Asia/Kathmandu"
    assert user["tz_offset"] == 5 * 3600 + 45 * 60
    assert user["deleted"] is False
    assert user["profile"]["status_emoji"] == ":palm_tree:"
    assert user["profile"]["status_expiration"] == 99


def test_users_info_tells_the_locale_only_when_asked(fake, client):
    fake.add_user("U1", locale="es-ES")

    assert "locale" not in client.users_info(user="U1")["user"]
    assert client.users_info(user="U1", include_locale=True)["user"]["locale"] == "es-ES"


def test_unknown_user_is_not_found(client):
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U404")

    assert raised.value.response["error"] == "user_not_found"


def test_update_user_changes_what_slack_reports(fake, client):
    fake.add_user("U1")
    fake.update_user("U1", deleted=True)

    assert client.users_info(user="U1")["user"]["deleted"] is True


def test_dnd_defaults_to_disabled_and_can_be_set(fake, client):
    fake.add_user("U1")
    assert client.dnd_info(user="U1")["dnd_enabled"] is False

    fake.set_dnd("U1", True, next_start_ts=1000, next_end_ts=2000)
    answer = client.dnd_info(user="U1")

    assert (answer["dnd_enabled"], answer["next_dnd_start_ts"], answer["next_dnd_end_ts"]) == (
        True,
        1000,
        2000,
    )


def test_conversations_open_gives_the_dm_channel(client):
    assert client.conversations_open(users="U7")["channel"]["id"] == "D7"


def test_a_channel_needs_joining_before_posting(fake, client):
    fake.add_channel("C1", name="stretch-challenge", is_member=False)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="Challenge!")
    assert raised.value.response["error"] == "not_in_channel"

    client.conversations_join(channel="C1")
    client.chat_postMessage(channel="C1", text="Challenge!")

    assert len(fake.messages("C1")) == 1


def test_unknown_channel_is_not_found(client):
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C404", text="hi")

    assert raised.value.response["error"] == "channel_not_found"


def test_update_a_message(fake, client):
    posted = client.chat_postMessage(channel="U1", text="Card")

    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="Done!")
    assert fake.messages("U1")[0]["text"] == "Done!"


def test_update_of_a_missing_message(client):
    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel="D1", ts="1.000001", text="x")

    assert raised.value.response["error"] == "message_not_found"


def test_views_publish_and_open(fake, client):
    home = {"type": "home", "blocks": [section("Your progress")]}
    client.views_publish(user_id="U1", view=home)
    assert fake.home("U1")["blocks"] == home["blocks"]

    opened = client.views_open(trigger_id="123.456", view=modal(callback_id="settings"))["view"]

    assert fake.last_call("views.open").ok and opened["callback_id"] == "settings"


def test_a_method_the_app_does_not_call_is_unknown(client):
    with pytest.raises(SlackApiError) as raised:
        client.reactions_add(channel="C1", name="tada", timestamp="1.2")

    assert raised.value.response["error"] == "unknown_method"


def test_oauth_code_exchange_and_refresh(fake, client):
    installed = client.oauth_v2_access(client_id="111.222", client_secret="s3cret", code="abc")
    refreshed = client.oauth_v2_access(
        client_id="111.222",
        client_secret="s3cret",
        grant_type="refresh_token",
        refresh_token="xoxe-1-old",
    )

    assert installed["access_token"].startswith("xoxb-")
    assert installed["team"]["id"] == "T0001"
    assert (refreshed["token_type"], refreshed["expires_in"]) == ("bot", 43200)
    assert fake.last_call("oauth.v2.access").params["client_secret"] == "s3cret"


# -- recording ---------------------------------------------------------------------------------


def test_records_a_json_body_and_bearer_token(fake, client):
    client.chat_postMessage(channel="U1", text="hi", blocks=[section("hi")])

    call = fake.last_call("chat.postMessage")
    assert call.token == TOKEN
    assert call.params["blocks"] == [section("hi")]
    assert call.ok


def test_records_a_form_body_with_json_fields_decoded(fake):
    metadata = {"event_type": "nudge_sent", "event_payload": {"nudge_id": 7}}
    answer = post_form(
        fake.base_url + "chat.postMessage",
        {
            "token": TOKEN,
            "channel": "U1",
            "text": "hi",
            "blocks": json.dumps([section("hi")]),
            "metadata": json.dumps(metadata),
        },
    )

    call = fake.last_call("chat.postMessage")
    assert answer["ok"]
    assert call.token == TOKEN
    assert "token" not in call.params
    assert call.params["blocks"] == [section("hi")]
    assert call.params["metadata"] == metadata


def test_records_form_parameters_sent_by_the_client(fake, client):
    client.conversations_history(channel="D1", limit=5, include_all_metadata=True)

    assert fake.last_call("conversations.history").params == {
        "channel": "D1",
        "limit": "5",
        "include_all_metadata": "1",
    }


def test_records_calls_from_many_threads(fake, client):
    threads = [
        threading.Thread(target=client.chat_postMessage, kwargs={"channel": "U1", "text": str(i)})
        for i in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(fake.calls_to("chat.postMessage")) == 20
    assert len({m["ts"] for m in fake.messages("U1")}) == 20


def test_reset_forgets_calls_but_keeps_messages(fake, client):
    client.chat_postMessage(channel="U1", text="hi")

    fake.reset()

    assert fake.calls == []
    assert len(fake.messages("U1")) == 1


def test_response_url_posts_are_recorded(fake):
    url = fake.response_url("stretch-1")

    response = WebhookClient(url).send(text="Nice work", replace_original=True)

    call = fake.last_call("response_url")
    assert response.status_code == 200
    assert call.path == "/response/stretch-1"
    assert call.params == {"text": "Nice work", "replace_original": True}


def test_response_url_rejects_broken_blocks(fake):
    response = WebhookClient(fake.response_url("r")).send(text="", blocks=[section("hi")])

    assert response.status_code == 400
    assert fake.rejections[0].method == "response_url"


# -- history and metadata ----------------------------------------------------------------------


def test_metadata_round_trips_through_history(client):
    metadata = {"event_type": "nudge_sent", "event_payload": {"nudge_id": 42}}
    posted = client.chat_postMessage(channel="U1", text="Stretch", metadata=metadata)

    with_metadata = client.conversations_history(channel=posted["channel"], include_all_metadata=1)
    without = client.conversations_history(channel=posted["channel"])

    assert with_metadata["messages"][0]["metadata"] == metadata
    assert "metadata" not in without["messages"][0]


def test_malformed_metadata_is_refused(client):
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U1", text="x", metadata={"event_payload": {}})

    assert raised.value.response["error"] == "invalid_metadata_format"


def test_history_is_newest_first_and_honours_oldest_latest_limit(client):
    ts = [client.chat_postMessage(channel="U1", text=str(i))["ts"] for i in range(5)]

    def texts(**window) -> list[str]:
        return [m["text"] for m in client.conversations_history(channel="D1", **window)["messages"]]

    assert texts() == ["4", "3", "2", "1", "0"]
    assert texts(oldest=ts[1], latest=ts[4]) == ["3", "2"]
    assert texts(oldest=ts[1], latest=ts[4], inclusive=True) == ["4", "3", "2", "1"]
    assert texts(limit=2) == ["4", "3"]
    assert client.conversations_history(channel="D1", limit=2)["has_more"] is True


# -- faults ------------------------------------------------------------------------------------


def test_429_is_retried_after_retry_after(fake):
    client = WebClient(
        token=TOKEN, base_url=fake.base_url, retry_handlers=[RateLimitErrorRetryHandler()]
    )
    fake.fail_next("chat.postMessage", status=429, retry_after=0)

    assert client.chat_postMessage(channel="U1", text="hi")["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 200]
    assert len(fake.messages("U1")) == 1


def test_429_carries_retry_after_without_a_retry_handler(fake, client):
    fake.fail_next("users.info", retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U1")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"


def test_server_error_then_success(fake):
    retry = ServerErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0.01))
    client = WebClient(token=TOKEN, base_url=fake.base_url, retry_handlers=[retry])
    fake.fail_next("views.publish", status=500)

    client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("hi")]})

    assert [c.status for c in fake.calls_to("views.publish")] == [500, 200]


def test_slack_error_raises(fake, client):
    fake.fail_next("chat.postMessage", error="account_inactive", times=2)

    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="U1", text="hi")
        assert raised.value.response["error"] == "account_inactive"
    assert client.chat_postMessage(channel="U1", text="hi")["ok"]


def test_faults_are_used_in_order(fake, client):
    fake.fail_next("auth.test", status=503)
    fake.fail_next("auth.test", error="invalid_auth")

    answers = []
    for _ in range(3):
        try:
            response = client.auth_test()
        except SlackApiError as error:
            response = error.response
        answers.append((response.status_code, response.get("error")))

    assert answers == [(503, "service_unavailable"), (200, "invalid_auth"), (200, None)]


def test_persistent_error_until_cleared(fake, client):
    fake.set_error("dnd.info", "missing_scope")
    fake.add_user("U1")
    for _ in range(2):
        with pytest.raises(SlackApiError):
            client.dnd_info(user="U1")

    fake.clear_errors()

    assert client.dnd_info(user="U1")["ok"]


def test_slow_answer_times_the_client_out_but_still_posts(fake):
    client = WebClient(token=TOKEN, base_url=fake.base_url, timeout=0.1, retry_handlers=[])
    fake.fail_next("chat.postMessage", status=None, delay=0.3)

    with pytest.raises(TimeoutError):
        client.chat_postMessage(channel="U1", text="hi")

    wait_for(lambda: fake.messages("U1"), timeout=1.0)


def test_channel_rate_limits_posts_per_channel(fake, client):
    fake.enforce_channel_rate(per_second=1)
    client.chat_postMessage(channel="U1", text="one")
    client.chat_postMessage(channel="U2", text="other channel")

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U1", text="too soon")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "1"


def test_budget_limits_calls_per_minute(fake, client):
    fake.budget(2)
    client.auth_test()
    client.auth_test()

    with pytest.raises(SlackApiError) as raised:
        client.auth_test()

    assert raised.value.response["error"] == "ratelimited"


def test_method_budget_leaves_other_methods_alone(fake, client):
    fake.budget(1, method="chat.postMessage")
    client.chat_postMessage(channel="U1", text="hi")

    assert client.auth_test()["ok"]
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="U2", text="hi")


# -- Block Kit limits enforced by the fake -----------------------------------------------------


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ({"text": "x", "blocks": [section("x")] * 51}, "blocks: 51 > 50 blocks"),
        ({"text": "x", "blocks": [section("x" * 3001)]}, "blocks[0].text: 3001 > 3000 characters"),
        ({"blocks": [section("x")]}, "text: a non-empty fallback is required"),
    ],
)
def test_messages_breaking_limits_are_rejected(fake, client, message, problem):
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U1", **message)

    assert raised.value.response["error"] == "invalid_blocks"
    assert raised.value.response["errors"][0].startswith(problem)
    assert fake.rejections[0].method == "chat.postMessage"
    assert fake.messages("U1") == []


def test_views_breaking_limits_are_rejected(fake, client):
    title = {"type": "plain_text", "text": "A title far too long for Slack"}

    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id="1.2", view=modal(title=title))

    assert raised.value.response["errors"] == ["title: 30 > 24 characters"]
    assert [r.method for r in fake.rejections] == ["views.open"]


def test_socket_mode_opens_only_with_an_app_level_token(fake, client):
    opened = client.apps_connections_open(app_token="xapp-1-A1-1-abc")
    assert opened["url"].startswith("wss://")
    with pytest.raises(SlackApiError) as raised:
        client.apps_connections_open(app_token=TOKEN)  # a bot token
    assert raised.value.response["error"] == "not_allowed_token_type"
