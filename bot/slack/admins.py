"""Who may change workspace-wide settings: Slack's own workspace admins and owners."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.errors import error_code

logger = logging.getLogger(__name__)

_ADMIN_FLAGS = ("is_admin", "is_owner", "is_primary_owner")


def is_workspace_admin(client: WebClient, user_id: str) -> bool:
    """Whether Slack's `users.info` says the user is an admin or owner of the workspace. Asked
    each time, never taken from the request: a payload can claim anything. A failed lookup
    counts as no."""
    try:
        user = client.users_info(user=user_id).get("user")
    except SlackApiError as error:
        logger.warning("users.info for %s failed: %s", user_id, error_code(error) or error)
        return False
    return isinstance(user, dict) and any(user.get(flag) is True for flag in _ADMIN_FLAGS)
