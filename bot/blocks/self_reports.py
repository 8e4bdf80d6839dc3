"""What a self-reported break ("I moved anyway", `/stretch did a walk`) is answered with."""

from __future__ import annotations

from bot.blocks.message import Message, escape, notice


def self_report_message(what: str, done_today: int) -> Message:
    """`what` is the person's own words, escaped."""
    breaks = "1 break" if done_today == 1 else f"{done_today} breaks"
    return notice(
        f":white_check_mark: Counted: {escape(what)} — a break you took on your own, "
        f"marked as self-reported. That's {breaks} today."
    )
