"""The answers to `/stretch language`."""

from __future__ import annotations

from bot.blocks.message import Message, escape, notice
from bot.domain.i18n import LANGUAGES, _


def _choices(current: str | None = None) -> str:
    lines = []
    for code, name in LANGUAGES.items():
        line = _(
            "• {name} — `/stretch language {code}`", name=name, code=code.lower().replace("_", "-")
        )
        lines.append(f"*{line}*" if code == current else line)
    return "\n".join(lines)


def languages_message(current: str, follows_slack: bool) -> Message:
    """The languages, the one they are spoken to in marked, and how to choose."""
    if follows_slack:
        lead = _(
            "I speak to you in *{name}*, your Slack language. Choose another:",
            name=LANGUAGES[current],
        )
    else:
        lead = _(
            "I speak to you in *{name}*, which you chose. Choose another:", name=LANGUAGES[current]
        )
    follow = _("`/stretch language auto` follows your Slack language again.")
    return notice(f"{lead}\n{_choices(current)}\n{follow}")


def language_chosen_message(current: str, follows_slack: bool) -> Message:
    if follows_slack:
        return notice(_("I'll follow your Slack language: *{name}*.", name=LANGUAGES[current]))
    return notice(_("From now on I'll speak to you in *{name}*.", name=LANGUAGES[current]))


def unknown_language_message(typed: str) -> Message:
    """`typed` is quoted back, so it is escaped."""
    lead = _("I don't speak “{typed}”. I can speak:", typed=escape(typed))
    follow = _("`/stretch language auto` follows your Slack language.")
    return notice(f"{lead}\n{_choices()}\n{follow}")
