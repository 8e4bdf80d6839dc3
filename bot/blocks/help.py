"""`/stretch help` and error replies, written from the subcommand table in `bot.domain.commands`."""

from __future__ import annotations

from bot.blocks.message import WELLNESS_NOTE, Message, context, escape, section
from bot.domain.commands import SUBCOMMANDS


def usage_lines() -> str:
    return "\n".join(f"• `{escape(sub.usage)}` — {sub.summary}" for sub in SUBCOMMANDS)


def help_message() -> Message:
    text = "Stretch Break: short movement breaks for people who sit all day.\n" + usage_lines()
    return Message.build(text, [section(text), context(WELLNESS_NOTE)])


def error_message(problem: str) -> Message:
    """`problem` may quote what the person typed, so it is escaped."""
    text = f"{escape(problem)}\nHere's what I understand:\n{usage_lines()}"
    return Message.build(text, [section(text)])
