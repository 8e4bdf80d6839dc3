"""Reading the few things listeners need out of Slack payloads, defensively."""

from __future__ import annotations

from typing import Any

from bot.domain.people import SlackUser


def mapping(value: object) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one: payload fields are not trusted."""
    return value if isinstance(value, dict) else {}


def text(value: object) -> str:
    return value if isinstance(value, str) else ""


def user_from_command(command: dict[str, Any]) -> SlackUser:
    return SlackUser(
        team_id=command.get("team_id", ""),
        user_id=command.get("user_id", ""),
        enterprise_id=command.get("enterprise_id") or "",
    )


def user_from_interaction(body: dict[str, Any]) -> SlackUser:
    """The clicking user of a block action or view submission."""
    user, team = mapping(body.get("user")), mapping(body.get("team"))
    return SlackUser(
        team_id=text(team.get("id")) or text(user.get("team_id")),
        user_id=text(user.get("id")),
        enterprise_id=text(mapping(body.get("enterprise")).get("id")),
    )
