"""Posting in a channel, joining public channels when needed, and saying clearly when the bot
cannot (a private channel it was not invited to, an archived one)."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.message import Message

INVITE_HINT = (
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


def _error(error: SlackApiError) -> str:
    return error.response.get("error", "") if error.response is not None else ""


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
        if _error(error) != "not_in_channel":
            raise _cannot_post(error) from error
    try:
        client.conversations_join(channel=channel)
        return client.chat_postMessage(**kwargs).data
    except SlackApiError as error:
        raise _cannot_post(error) from error


def _cannot_post(error: SlackApiError) -> Exception:
    return CannotPost(INVITE_HINT) if _error(error) in CANNOT_POST else error
