"""A fake Slack Web API for tests: a stdlib HTTP server on 127.0.0.1 that records every call.

Point a client at it with ``WebClient(base_url=fake.base_url)`` (or ``SLACK_API_URL``). It answers
the Web API methods the app calls, and no others (``web_api.py`` lists them), from a small
in-memory workspace (users, channels, messages, views), reads form and JSON bodies as slack_sdk
sends them, and:

- rejects messages and views that break the Block Kit limits of
  ``tests/support/slack_limits.py`` with ``invalid_blocks`` and records them in ``.rejections``;
- injects faults: 429 with ``Retry-After``, 5xx, Slack errors and slow answers (``fail_next``,
  ``set_error``), and rate limits (``enforce_channel_rate``, ``budget``);
- takes Bolt's ``respond()`` posts on ``response_url(name)``, recorded as method ``"response_url"``;
- sends Socket Mode clients to a fake Socket Mode endpoint (``serve_socket_mode``, see
  ``tests/support/fake_socket_mode.py``).

It is strict where Slack is: calls need a token (except ``oauth.v2.access``), unknown users give
``user_not_found``, channels other than DMs exist only after ``add_channel``, and a channel the
bot is not a member of gives ``not_in_channel`` until ``conversations.join``. Posting to a user id
goes to the DM channel ``"D" + user_id[1:]`` (Enterprise Grid user ids begin with W).

    with FakeSlack() as fake:
        fake.add_user("U1", tz="Asia/Kathmandu")
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        client.chat_postMessage(channel="U1", text="Time to stretch")
        assert fake.messages("U1")[0]["text"] == "Time to stretch"

The parts: ``fake.py`` (``FakeSlack``, what tests call), ``server.py`` (HTTP and routing),
``workspace.py`` (members, channels, messages, views), ``web_api.py`` (the methods),
``faults.py`` (injected failures and rate limits), ``wire.py`` (requests, replies, records).
"""

from tests.support.fake_slack.fake import FakeSlack, running_fake_slack
from tests.support.fake_slack.web_api import BOT_SCOPES, INSTALLER_ID, TEAM_NAME, WORKSPACE_URL
from tests.support.fake_slack.wire import RESPONSE_URL, Call, Rejection, Reply, Request
from tests.support.fake_slack.workspace import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, FakeUser

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_SCOPES",
    "BOT_USER_ID",
    "INSTALLER_ID",
    "RESPONSE_URL",
    "TEAM_ID",
    "TEAM_NAME",
    "WORKSPACE_URL",
    "Call",
    "FakeSlack",
    "FakeUser",
    "Rejection",
    "Reply",
    "Request",
    "running_fake_slack",
]
