"""What a failed scheduled send means, read the same way by every tick step that posts (nudge
delivery, challenge posts, weekly summaries), so they back off alike.

A post that failed either certainly posted nothing (a 429: Slack answers it before doing
anything, so it is safe to send again once its Retry-After has passed), or may have posted (a
5xx or a lost answer: the next attempt must look for the message before posting it again), or
will never work with this workspace's token (uninstalled, or the token refused: the workspace is
stopped rather than retried forever), or was refused for a reason of its own (Slack's error code,
which the step judges).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.errors import error_code, rate_limited_for
from bot.slack.workspaces import TOKEN_REFUSED, WorkspaceUnavailable

# What a scheduled send may raise: Slack's answers, timeouts and refused connections, no token.
SEND_ERRORS = (SlackApiError, SlackClientError, OSError, WorkspaceUnavailable)


class Failed(Enum):
    RATE_LIMITED = "rate limited"  # nothing was posted: send again after `retry_after`
    MAYBE_POSTED = "maybe posted"  # 5xx, network: retry with backoff, history first
    WORKSPACE_REFUSED = "workspace refused"  # no usable token: stop the workspace
    REFUSED = "refused"  # Slack's error `code`, for the step to judge


@dataclass(frozen=True)
class SendFailure:
    kind: Failed
    note: str
    retry_after: timedelta | None = None
    code: str = ""


def send_failure(error: Exception) -> SendFailure:
    """How to treat `error`, one of `SEND_ERRORS`, raised by a scheduled send."""
    if isinstance(error, WorkspaceUnavailable):
        return SendFailure(Failed.WORKSPACE_REFUSED, str(error))
    if not isinstance(error, SlackApiError):  # timeouts, dropped and refused connections
        return SendFailure(Failed.MAYBE_POSTED, f"network: {error}")
    code = error_code(error)
    wait = rate_limited_for(error)
    if wait is not None:
        return SendFailure(Failed.RATE_LIMITED, "rate limited", wait, code)
    if code in TOKEN_REFUSED:
        return SendFailure(Failed.WORKSPACE_REFUSED, f"workspace token refused: {code}", code=code)
    if error.response is not None and error.response.status_code >= 500:
        return SendFailure(Failed.MAYBE_POSTED, f"Slack {error.response.status_code}", code=code)
    return SendFailure(Failed.REFUSED, f"Slack: {code}", code=code)
