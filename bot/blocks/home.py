"""The App Home tab."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import DividerBlock, HeaderBlock
from slack_sdk.models.views import View

from bot.blocks.help import usage_lines
from bot.blocks.library import exercise_rows
from bot.blocks.message import WELLNESS_NOTE, context, section
from bot.content import Library


def home_view(library: Library) -> dict[str, Any]:
    blocks = [
        HeaderBlock(text="Stretch Break"),
        section(
            "Short movement breaks for people who sit all day. Pick an exercise below and "
            "press *Start* — or type `/stretch` anywhere in Slack."
        ),
        DividerBlock(),
        section("*Exercise library*"),
        *exercise_rows(library.exercises),
        DividerBlock(),
        section("*Commands*\n" + usage_lines()),
        context(WELLNESS_NOTE),
    ]
    return View(type="home", blocks=blocks).to_dict()
