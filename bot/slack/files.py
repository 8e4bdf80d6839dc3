"""Sending a person a text file in their DM with the app (`files.uploadV2`)."""

from __future__ import annotations

from slack_sdk import WebClient


def send_text_file(
    client: WebClient, user_id: str, filename: str, content: str, comment: str
) -> None:
    """Upload `content` as `filename` into the DM with `user_id`, with `comment` above it.
    Raises `SlackApiError` as the Web API answers (e.g. `missing_scope` without `files:write`)."""
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        content=content,
        filename=filename,
        title=filename,
        initial_comment=comment,
    )
