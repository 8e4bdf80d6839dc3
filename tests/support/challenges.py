"""The channel the challenge tests run their challenges in, and what was posted there."""

from __future__ import annotations

CHANNEL = "C0001"


def channel_posts(fake_slack) -> list[dict]:
    return fake_slack.messages(CHANNEL)
