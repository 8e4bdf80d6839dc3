"""Posting in channels and DMs, and finding a message the bot already posted.

`post_in_channel` joins a public channel when needed and says clearly when the bot cannot post
(a private channel it was not invited to, an archived one).

Slack has no idempotency key for `chat.postMessage`. Whatever the bot posts on a schedule
(nudges, challenge days and results, weekly summaries) carries its row id in metadata
(`tagged`), and a send reclaimed after a crash calls `find_posted` first: if the message is
there, it is marked sent instead of being posted again.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.message import Message
from bot.domain.i18n import N_, _
from bot.slack.errors import error_code

LOOKBACK = 50  # messages; a reclaimed send is minutes old


def find_posted(
    client: WebClient,
    channel: str,
    event_type: str,
    key: str,
    value: int,
    thread_ts: str | None = None,
) -> str | None:
    """The `ts` of the recent message whose metadata is `{event_type, {key: value}}`, if any:
    in the channel, or among the replies of the thread `thread_ts` (which the channel's history
    does not list).

    Reads the latest messages rather than a time window, so a clock skewed against Slack's
    cannot hide the message."""
    if thread_ts is None:
        history = client.conversations_history(
            channel=channel, include_all_metadata=True, limit=LOOKBACK
        )
    else:
        history = client.conversations_replies(
            channel=channel, ts=thread_ts, include_all_metadata=True, limit=LOOKBACK
        )
    for message in history.get("messages", []):
        meta = message.get("metadata") or {}
        if (
            meta.get("event_type") == event_type
            and (meta.get("event_payload") or {}).get(key) == value
        ):
            return message["ts"]
    return None


def tagged(event_type: str, key: str, value: int) -> dict[str, Any]:
    """Message metadata `{event_type, {key: value}}`, which `find_posted` looks for."""
    return {"event_type": event_type, "event_payload": {key: value}}


INVITE_HINT = N_(
    "I can't post in this channel yet. Invite me with `/invite @Stretch Break`, "
    "then start the challenge again."
)
CANNOT_POST = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "restricted_action",
    "method_not_supported_for_channel_type",
    "missing_scope",
}


class CannotPost(Exception):
    """The bot cannot post here; `str(error)` tells the person what to do."""


def post_in_channel(
    client: WebClient, channel: str, message: Message, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """chat.postMessage; in a public channel the bot is not in, join it and post again."""
    kwargs: dict[str, Any] = {"channel": channel, **message.as_kwargs()}
    if metadata:
        kwargs["metadata"] = metadata
    try:
        return client.chat_postMessage(**kwargs).data
    except SlackApiError as error:
        if error_code(error) != "not_in_channel":
            raise _cannot_post(error) from error
    try:
        client.conversations_join(channel=channel)
        return client.chat_postMessage(**kwargs).data
    except SlackApiError as error:
        raise _cannot_post(error) from error


def _cannot_post(error: SlackApiError) -> Exception:
    return CannotPost(_(INVITE_HINT)) if error_code(error) in CANNOT_POST else error
