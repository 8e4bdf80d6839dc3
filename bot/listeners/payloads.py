"""Reading the few things listeners need out of Slack payloads, defensively."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.blocks.message import read_value
from bot.domain.people import SlackUser
from bot.domain.row_ids import row_id
from bot.slack.profiles import ClientProfile

# A JSON object from Slack, as Bolt hands it to a listener (`body`, `action`, `command`,
# `event`, `view`): its fields are read defensively.
Json = dict[str, Any]


def mapping(value: object) -> Json:
    """`value` if it is a JSON object, else an empty one: payload fields are not trusted."""
    return value if isinstance(value, dict) else {}


def text(value: object) -> str:
    return value if isinstance(value, str) else ""


def user_from_command(command: Json) -> SlackUser:
    return SlackUser(
        team_id=text(command.get("team_id")),
        user_id=text(command.get("user_id")),
        enterprise_id=text(command.get("enterprise_id")),
    )


def user_from_interaction(body: Json) -> SlackUser:
    """The clicking user of a block action or view submission."""
    user, team = mapping(body.get("user")), mapping(body.get("team"))
    return SlackUser(
        team_id=text(team.get("id")) or text(user.get("team_id")),
        user_id=text(user.get("id")),
        enterprise_id=text(mapping(body.get("enterprise")).get("id")),
    )


def clicker(body: Json, client: WebClient) -> tuple[SlackUser, ClientProfile]:
    """The clicking (or submitting) user, and their Slack profile for the use cases to read."""
    who = user_from_interaction(body)
    return who, ClientProfile(client, who.user_id)


def from_home_tab(body: Json) -> bool:
    """Home tab clicks come with no response_url: answers go to the tab itself or the DM."""
    return mapping(body.get("container")).get("type") == "view"


def button_id(action: Json, key: str) -> int:
    """The row id under `key` in a button's value (see `bot.blocks.message.button`); 0, which
    matches no row, when it is missing or malformed."""
    return row_id(read_value(action.get("value")).get(key)) or 0
