"""Asking Slack, once at start, whether it takes the configured tokens — so that a wrong token is
one line naming the setting, not a traceback from deep inside a worker or a Socket Mode thread."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.errors import error_code
from bot.slack.workspaces import TOKEN_REFUSED

logger = logging.getLogger(__name__)


def bot_token_refused(client: WebClient) -> str | None:
    """Slack's error code when it refuses the client's bot token (`auth.test`), else None."""
    return _refused("auth.test", client.auth_test)


def app_token_refused(client: WebClient, app_token: str) -> str | None:
    """Slack's error code when it refuses the app-level token (in the call Socket Mode opens
    its connection with, `apps.connections.open`), else None."""
    return _refused(
        "apps.connections.open", lambda: client.apps_connections_open(app_token=app_token)
    )


def _refused(method: str, call: Callable[[], object]) -> str | None:
    try:
        call()
    except SlackApiError as error:
        code = error_code(error)
        if code in TOKEN_REFUSED or code == "not_allowed_token_type":
            return code
        logger.warning("%s at start failed (%s); starting anyway", method, code or "no answer")
    except OSError as error:  # Slack unreachable: not the token's fault, and it may come back
        logger.warning("%s at start failed (%s); starting anyway", method, type(error).__name__)
    return None
