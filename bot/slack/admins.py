"""Whether someone is one of the workspace's admins, as Slack says (`users.info`)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.profiles import ClientProfile

ADMIN_FLAGS = ("is_admin", "is_owner", "is_primary_owner")


def is_workspace_admin(client: WebClient, user_id: str) -> bool:
    """True for a workspace admin or owner; False for anyone else, and when Slack cannot say
    (an unknown user, an error): nothing reserved for admins is granted on doubt."""
    user = ClientProfile(client, user_id).user() or {}
    return any(user.get(flag) is True for flag in ADMIN_FLAGS)
