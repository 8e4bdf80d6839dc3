"""The App Home tab: reminder status and buttons, the library, the commands."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, DividerBlock, HeaderBlock
from slack_sdk.models.views import View

from bot.blocks.help import usage_lines
from bot.blocks.library import exercise_rows
from bot.blocks.message import WELLNESS_NOTE, context, section
from bot.blocks.reminders import local_time, reminder_buttons, schedule_sentence
from bot.content import Library
from bot.services.reminders import ReminderStatus


def home_view(library: Library, status: ReminderStatus | None, now: datetime) -> dict[str, Any]:
    blocks: list[Block] = [
        HeaderBlock(text="Stretch Break"),
        section(
            "Short movement breaks for people who sit all day. Pick an exercise below and "
            "press *Start* — or type `/stretch` anywhere in Slack."
        ),
        *reminder_blocks(status, now),
        DividerBlock(),
        section("*Exercise library*"),
        *exercise_rows(library.exercises),
        DividerBlock(),
        section("*Commands*\n" + usage_lines()),
        context(WELLNESS_NOTE),
    ]
    return View(type="home", blocks=blocks).to_dict()


def reminder_blocks(status: ReminderStatus | None, now: datetime) -> list[Block]:
    if status is None:
        text = (
            "*Reminders are off.* Turn them on and I'll DM you a short break during your "
            "work hours, in your time zone — never in meetings or Do Not Disturb."
        )
    elif not status.on:
        text = f"*Reminders are off.* When on: {status.schedule}."
    elif status.paused_until and status.paused_until > now:
        text = (
            f"*Reminders paused* until {local_time(status.paused_until, status.tz, now)}. "
            f"{schedule_sentence(status, now)}"
        )
    else:
        text = f"*Reminders on.* {schedule_sentence(status, now)}"
    buttons = ActionsBlock(block_id="home_reminders", elements=reminder_buttons(status))
    return [DividerBlock(), section(text), buttons]
