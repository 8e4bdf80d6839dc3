"""Whether someone is an admin or owner of their Slack workspace, as Slack says now."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.errors import error_code

logger = logging.getLogger(__name__)

_ADMIN_FLAGS = ("is_admin", "is_owner", "is_primary_owner")


def is_workspace_admin(client: WebClient, user_id: str) -> bool:
    """Whether Slack's `users.info` says the user is an admin or owner of the workspace (a
    deactivated account is neither).

    Asked afresh every time, never taken from the request (a payload can claim anything) nor
    cached: a demoted admin loses access at once. Admin pages and submissions are rare, and
    users.info is Tier 4 (about 100 a minute). Any failure — an unknown user, a Slack error —
    answers False: when in doubt, no admin powers.
    """
    if not user_id:
        return False
    try:
        user = client.users_info(user=user_id, include_locale=True).get("user")
    except SlackApiError as error:
        logger.warning("users.info for %s failed: %s", user_id, error_code(error) or error)
        return False
    if not isinstance(user, dict) or user.get("deleted"):
        return False
    return any(user.get(flag) is True for flag in _ADMIN_FLAGS)
