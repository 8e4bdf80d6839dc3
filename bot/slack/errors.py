"""Reading Slack's error answers."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.errors import SlackApiError

DEFAULT_RETRY_AFTER = timedelta(seconds=30)


def rate_limited_for(error: SlackApiError) -> timedelta | None:
    """How long Slack asked us to wait, when the error is a 429 (rate limited) — the one answer
    that certainly posted nothing; None for any other error."""
    if error.response is None or error.response.status_code != 429:
        return None
    seconds = (error.response.headers or {}).get("Retry-After", "")
    return timedelta(seconds=int(seconds)) if str(seconds).isdigit() else DEFAULT_RETRY_AFTER


def error_code(error: SlackApiError) -> str:
    """Slack's error code (`not_in_channel`, `invalid_auth`, …), or "" when there is no answer."""
    if error.response is None:
        return ""
    code = error.response.get("error", "")
    return code if isinstance(code, str) else ""
