"""Distribution mode in tests: the app's configuration for OAuth, its server, and the browser
round trip of an install ("Add to Slack", approve, back to the app)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from bot.bootstrap import Container, build
from bot.config import Config
from tests.support.signed_requests import SIGNING_SECRET
from tests.support.wsgi_server import serving

STATE_COOKIE = "slack-app-oauth-state"


def distribution_config(database_url: str, fake_slack, **overrides) -> Config:
    """Distribution mode: OAuth with stored tokens instead of one bot token."""
    return Config(
        _env_file=None,
        slack_client_id="111.222",
        slack_client_secret="shh",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.base_url,
        database_url=database_url,
        **overrides,
    )


@contextmanager
def distribution_app(database_url: str, fake_slack, clock) -> Iterator[tuple[Container, str]]:
    """The app in distribution mode, served: its container and URL."""
    container = build(distribution_config(database_url, fake_slack), clock=clock)
    with serving(container.wsgi_app) as url:
        yield container, url
    container.close()


def get(
    url: str, cookie: str | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(
        url, headers=({"Cookie": cookie} if cookie else {}) | (headers or {})
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.read().decode(), _lower(reply.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), _lower(error.headers)


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def install(url: str, fake_slack, team: str) -> tuple[int, str]:
    """Click "Add to Slack", approve, come back: the whole browser round trip."""
    status, page, headers = get(url + "/slack/install")
    assert status == 200 and "slack.com/oauth/v2/authorize" in page
    state = re.search(r"state=([\w-]+)", page).group(1)
    cookie = f"{STATE_COOKIE}={state}"
    assert state in headers.get("set-cookie", "")
    fake_slack.install_as(team)
    status, page, _ = get(f"{url}/slack/oauth_redirect?code=code-{team}&state={state}", cookie)
    return status, page, state, cookie
