"""What a self-reported break ("I moved anyway", `/stretch did a walk`) is answered with."""

from __future__ import annotations

from bot.blocks.message import Message, escape, notice
from bot.domain.i18n import ngettext


def self_report_message(what: str, done_today: int) -> Message:
    """`what` is the person's own words, escaped."""
    return notice(
        ngettext(
            ":white_check_mark: Counted: {what} — a break you took on your own, "
            "marked as self-reported. That's {n} break today.",
            ":white_check_mark: Counted: {what} — a break you took on your own, "
            "marked as self-reported. That's {n} breaks today.",
            done_today,
            what=escape(what),
        )
    )
