"""Finding a message the bot already posted, by the id it carries in message metadata.

Slack has no idempotency key for `chat.postMessage`. Whatever the bot posts on a schedule
(nudges, challenge days) carries its row id in metadata, and a send reclaimed after a crash
calls this first: if the message is there, it is marked sent instead of being posted again.
"""

from __future__ import annotations

from slack_sdk import WebClient

LOOKBACK = 50  # messages; a reclaimed send is minutes old


def find_posted(
    client: WebClient, channel: str, event_type: str, key: str, value: int
) -> str | None:
    """The `ts` of the recent message whose metadata is `{event_type, {key: value}}`, if any.

    Reads the latest messages rather than a time window, so a clock skewed against Slack's
    cannot hide the message."""
    history = client.conversations_history(
        channel=channel, include_all_metadata=True, limit=LOOKBACK
    )
    for message in history.get("messages", []):
        meta = message.get("metadata") or {}
        if (
            meta.get("event_type") == event_type
            and (meta.get("event_payload") or {}).get(key) == value
        ):
            return message["ts"]
    return None
