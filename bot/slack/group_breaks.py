"""The Slack calls of group breaks: may the bot hold one in this channel, posting as a member
(never joining a channel by itself), and answering a mention privately."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.message import Message
from bot.domain.group_breaks import Answer
from bot.slack.errors import error_code
from bot.slack.posting import CANNOT_POST

# conversations.info's answer for a private channel the bot is not in, or one that is gone.
_NOT_VISIBLE = {"channel_not_found", "not_in_channel"}


class NotAMember(Exception):
    """The bot is not in the channel (or may not post there)."""


def refusal_for_channel(client: WebClient, channel_id: str) -> Answer | None:
    """Why a group break cannot be held in the channel — a DM, or the bot is not a member — or
    None when it can. A workspace that installed the app before it asked for `channels:read`
    answers `missing_scope`: then the post itself tells (`post_as_member`)."""
    try:
        channel = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as error:
        code = error_code(error)
        if code in _NOT_VISIBLE:
            return Answer.NOT_A_MEMBER
        if code == "missing_scope":
            return None
        raise
    if channel.get("is_im") or channel.get("is_mpim"):
        return Answer.DIRECT_MESSAGE
    return None if channel.get("is_member") else Answer.NOT_A_MEMBER


def post_as_member(
    client: WebClient,
    channel: str,
    message: Message,
    *,
    thread_ts: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """chat.postMessage (in the thread `thread_ts`, if given); `NotAMember` when Slack says the
    bot cannot post there."""
    kwargs: dict[str, Any] = {"channel": channel, **message.as_kwargs()}
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    if metadata:
        kwargs["metadata"] = metadata
    try:
        return client.chat_postMessage(**kwargs).data
    except SlackApiError as error:
        if error_code(error) in CANNOT_POST:
            raise NotAMember(channel) from error
        raise


def answer_privately(
    client: WebClient, channel: str, user: str, message: Message, thread_ts: str | None
) -> None:
    """An ephemeral answer to `user` in the channel (and thread) where they mentioned the bot."""
    kwargs: dict[str, Any] = {"channel": channel, "user": user, **message.as_kwargs()}
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    client.chat_postEphemeral(**kwargs)
