"""Reading the few things listeners need out of Slack payloads, defensively."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.people import SlackUser


def user_from_command(command: dict[str, Any]) -> SlackUser:
    return SlackUser(
        team_id=command.get("team_id", ""),
        user_id=command.get("user_id", ""),
        enterprise_id=command.get("enterprise_id") or "",
    )


def user_from_interaction(body: dict[str, Any]) -> SlackUser:
    """The clicking user of a block action or view submission."""
    user = body.get("user") or {}
    team = body.get("team") or {}
    enterprise = body.get("enterprise") or {}
    return SlackUser(
        team_id=team.get("id") or user.get("team_id", ""),
        user_id=user.get("id", ""),
        enterprise_id=enterprise.get("id", "") if isinstance(enterprise, dict) else "",
    )


def tz_lookup(client: WebClient, user_id: str) -> Callable[[], str | None]:
    """A deferred `users.info` call for the person's IANA time zone; None if Slack says no."""

    def lookup() -> str | None:
        try:
            return client.users_info(user=user_id)["user"].get("tz")
        except SlackApiError:
            return None

    return lookup
