"""The App Home tab: reminders and their buttons, progress, challenges, the library, commands.
Kept under Slack's 100-block limit whatever the history or the size of the library."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, DividerBlock, HeaderBlock
from slack_sdk.models.views import View

from bot.blocks.help import usage_lines
from bot.blocks.ids import START_RANDOM
from bot.blocks.library import exercise_rows
from bot.blocks.message import WELLNESS_NOTE, button, context, section
from bot.blocks.reminders import local_time, reminder_buttons, schedule_sentence
from bot.blocks.stats import progress_blocks
from bot.content import Library
from bot.progress import ProgressView
from bot.services.progress import ChallengeEntry
from bot.services.reminders import ReminderStatus

LIBRARY_ROWS = 30


def home_view(
    library: Library,
    status: ReminderStatus | None,
    progress: ProgressView,
    challenges: list[ChallengeEntry],
    now: datetime,
) -> dict[str, Any]:
    blocks: list[Block] = [
        HeaderBlock(text="Stretch Break"),
        section(
            "Short movement breaks for people who sit all day — in your work hours, never "
            "in meetings."
        ),
        *reminder_blocks(status, now),
        DividerBlock(),
        section("*Your progress*"),
        *progress_blocks(progress),
        *challenge_blocks(challenges),
        DividerBlock(),
        section("*Exercise library*"),
        *exercise_rows(library.exercises[:LIBRARY_ROWS]),
    ]
    if len(library.exercises) > LIBRARY_ROWS:
        blocks.append(
            context(f"…and {len(library.exercises) - LIBRARY_ROWS} more: `/stretch list`")
        )
    blocks += [DividerBlock(), section("*Commands*\n" + usage_lines()), context(WELLNESS_NOTE)]
    return View(type="home", blocks=blocks).to_dict()


def reminder_blocks(status: ReminderStatus | None, now: datetime) -> list[Block]:
    if status is None or not status.on:
        when = (
            f" When on: {status.schedule}."
            if status
            else (
                " Turn them on and I'll DM you a short break during your work hours, in your "
                "time zone — never in meetings or Do Not Disturb."
            )
        )
        text = "*Reminders are off.*" + when
    elif status.paused_until and status.paused_until > now:
        text = (
            f"*Reminders paused* until {local_time(status.paused_until, status.tz, now)}. "
            f"{schedule_sentence(status, now)}"
        )
    else:
        text = f"*Reminders on.* {schedule_sentence(status, now)}"
    buttons = [
        button("Start a stretch", START_RANDOM, "start", style="primary"),
        *reminder_buttons(status),
    ]
    return [
        DividerBlock(),
        section(text),
        ActionsBlock(block_id="home_reminders", elements=buttons),
    ]


def challenge_blocks(challenges: list[ChallengeEntry]) -> list[Block]:
    if not challenges:
        return []
    lines = [f"• <#{c.channel_id}>" + ("" if c.active else " (ended)") for c in challenges]
    return [section("*Your challenges*\n" + "\n".join(lines))]
