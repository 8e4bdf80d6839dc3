"""One error handler for every listener: log it, and answer the person kindly instead of a 500.

What a client sends cannot raise here any more: malformed envelopes are refused before Bolt
authorizes them (`bot.listeners.shape`) and listeners read fields defensively
(`bot.listeners.payloads`). What still arrives is of two kinds. Slack refusing a call that a
request led to (`SlackApiError`: a trigger_id or response_url that expired, a user Slack no longer
knows) is the request's staleness, not a bug: one warning line, with Slack's error code and the
entry point. Anything else is a bug in our code or trouble with the database, and keeps its full
traceback at ERROR, for operators to see.

It takes no `services`: an error raised in Bolt's own middleware (signature check, authorize),
which runs before `ServicesInContext`, reaches it with a context that has none."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk.errors import SlackApiError

from bot.domain.i18n import N_, _
from bot.listeners.payloads import mapping, text

SORRY = N_("Sorry — something went wrong on my side. Please try again in a moment.")
STALE = N_("Slack didn't accept my answer to that — it may be too old. Please try again.")


def entry_point(body: dict[str, Any]) -> str:
    """Where a request came in, for the log line: the command, action or event type."""
    actions = body.get("actions")
    first = mapping(actions[0]) if isinstance(actions, list) and actions else {}
    parts = (
        text(body.get("command")),
        text(body.get("type")),
        text(first.get("action_id")),
        text(mapping(body.get("event")).get("type")),
    )
    return " ".join(part for part in parts if part)[:80] or "unknown request"


def on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> BoltResponse:
    where = entry_point(body)
    if isinstance(error, SlackApiError):
        code = text(mapping(getattr(error.response, "data", None)).get("error"))
        logger.warning("%s for %s: Slack answered %s", type(error).__name__, where, code)
        answer = STALE
    else:
        logger.exception("listener failed for %s", where, exc_info=error)
        answer = SORRY
    return BoltResponse(
        status=200,
        body=json.dumps({"response_type": "ephemeral", "text": _(answer)}),
        headers={"content-type": "application/json;charset=utf-8"},
    )


def register(app: App) -> None:
    app.error(on_error)
