"""Block Kit pieces as plain dicts, for tests of the limits checker and of the fake Slack."""

from __future__ import annotations


def section(text: str, **extra) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(text: str = "Done", action_id: str = "done", **extra) -> dict:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        **extra,
    }


def modal(**extra) -> dict:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Settings"},
        "blocks": [section("Hi")],
        **extra,
    }
