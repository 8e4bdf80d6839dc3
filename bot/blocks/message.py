"""A message as Slack wants it: blocks plus the plain `text` fallback notifications use."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.domain.i18n import N_

WELLNESS_NOTE = N_(
    "General wellness guidance, not medical advice. Stop if something hurts, and ask a doctor "
    "about pain that persists."
)  # shown with `_(WELLNESS_NOTE)`


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def build(cls, text: str, blocks: list[Block]) -> Message:
        """Render slack_sdk block models (which validate Slack's length limits) to dicts."""
        return cls(text=text, blocks=[block.to_dict() for block in blocks])

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def escape(text: str) -> str:
    """Text a person typed, made safe to show in mrkdwn: Slack reads `<…>` as a link or a
    mention (`<!channel>` would ping everyone) and `&` as the start of an escape."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def notice(text: str) -> Message:
    """A one-section message whose fallback text is the same words."""
    return Message.build(text, [section(text)])


HEADER_LIMIT = 150  # characters, Slack's limit on a header's text


def header(text: str) -> HeaderBlock:
    """A header; a text longer than Slack allows — a team exercise's 150-character title behind
    "Challenge day 21 of 21: ", longer still in German — is cut with an ellipsis, not refused."""
    if len(text) > HEADER_LIMIT:
        text = text[: HEADER_LIMIT - 1].rstrip() + "…"
    return HeaderBlock(text=text)


def section(markdown: str, accessory: ButtonElement | None = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=markdown), accessory=accessory)


def context(*markdown: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=line) for line in markdown])


ButtonValue = dict[str, Any] | str


def button(
    text: str, action_id: str, value: ButtonValue, *, style: str | None = None
) -> ButtonElement:
    """A button whose value may be a small dict; listeners read it back with `read_value`."""
    return ButtonElement(text=text, action_id=action_id, value=encode_value(value), style=style)


def encode_value(value: ButtonValue) -> str:
    """A button's value as Slack carries it: a string, or a dict as compact JSON."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def read_value(raw: object) -> dict[str, Any]:
    """Decode a button value written by `button`; anything malformed (not even a string) reads
    as empty."""
    try:
        value = json.loads(raw if isinstance(raw, str) else "")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
