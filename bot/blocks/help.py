"""`/stretch help` and error replies, written from the subcommand table in `bot.domain.commands`."""

from __future__ import annotations

from bot.blocks.message import WELLNESS_NOTE, Message, context, escape, section
from bot.domain.commands import SUBCOMMANDS
from bot.domain.i18n import _


def usage_lines() -> str:
    """One line per subcommand; the summaries are marked for translation where they are
    written (`bot.domain.commands`), the usages are what people type and stay as they are."""
    return "\n".join(f"• `{escape(sub.usage)}` — {_(sub.summary)}" for sub in SUBCOMMANDS)


def help_message() -> Message:
    text = _("Stretch Break: short movement breaks for people who sit all day.") + "\n"
    text += usage_lines()
    return Message.build(text, [section(text), context(_(WELLNESS_NOTE))])


def error_message(problem: str) -> Message:
    """`problem` may quote what the person typed, so it is escaped."""
    understood = _("Here's what I understand:")
    text = f"{escape(problem)}\n{understood}\n{usage_lines()}"
    return Message.build(text, [section(text)])
