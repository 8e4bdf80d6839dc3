"""Reading the few things listeners need out of Slack payloads, defensively."""

from __future__ import annotations

from typing import Any

from bot.blocks.message import read_value
from bot.domain.row_ids import row_id

# A JSON object from Slack, as Bolt hands it to a listener (`body`, `action`, `command`,
# `event`, `view`): its fields are read defensively.
Json = dict[str, Any]


def mapping(value: object) -> Json:
    """`value` if it is a JSON object, else an empty one: payload fields are not trusted."""
    return value if isinstance(value, dict) else {}


def text(value: object) -> str:
    return value if isinstance(value, str) else ""


def from_home_tab(body: Json) -> bool:
    """Home tab clicks come with no response_url: answers go to the tab itself or the DM."""
    return mapping(body.get("container")).get("type") == "view"


def button_id(action: Json, key: str) -> int:
    """The row id under `key` in a button's value (see `bot.blocks.message.button`); 0, which
    matches no row, when it is missing or malformed."""
    return row_id(read_value(action.get("value")).get(key)) or 0
