"""Blocks rendered once and reused.

`slack_sdk.models` checks every element against Slack's limits each time `to_dict()` runs: about
a quarter of a millisecond for an exercise card, a millisecond for the Home tab. Yet most of a
message never changes. A card differs from the last one for the same exercise only in the ids its
buttons carry; the Home tab's library and command list change only with the content. Such parts
are rendered (and so validated) once, kept as JSON text, and each use gets fresh dicts of its own,
so nothing done to one message's blocks reaches another.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from slack_sdk.models.blocks import Block

from bot.blocks.message import ButtonValue, Message, encode_value

T = TypeVar("T")


class ByIdentity(Generic[T]):
    """A cache key standing for this very object. Content (an Exercise, a Tip, the Library) is
    frozen but holds lists, so it cannot be hashed by value. A cache that keeps the key keeps the
    object alive, so its id cannot pass to another object while the entry exists; another
    Library's content never finds this one's entries."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ByIdentity) and other.value is self.value


@dataclass(frozen=True)
class StoredBlocks:
    """Rendered blocks as JSON text; `fresh()` turns them back into new dicts on every call."""

    json_text: str

    @classmethod
    def render(cls, blocks: Iterable[Block]) -> StoredBlocks:
        return cls(json.dumps([block.to_dict() for block in blocks]))

    def fresh(self, button_values: Mapping[str, ButtonValue] | None = None) -> list[dict[str, Any]]:
        """New dicts, where `button_values` (by action id) replace the values of the buttons in
        actions blocks."""
        blocks = json.loads(self.json_text)
        for block in blocks:
            for element in block.get("elements", ()):
                action_id = element.get("action_id")
                if button_values and action_id in button_values:
                    element["value"] = encode_value(button_values[action_id])
        return blocks


@dataclass(frozen=True)
class MessageTemplate:
    """A message rendered once, for messages that differ only in their buttons' values."""

    text: str
    blocks: StoredBlocks

    @classmethod
    def of(cls, message: Message) -> MessageTemplate:
        return cls(message.text, StoredBlocks(json.dumps(message.blocks)))

    def fill(self, button_values: Mapping[str, ButtonValue]) -> Message:
        return Message(self.text, self.blocks.fresh(button_values))
