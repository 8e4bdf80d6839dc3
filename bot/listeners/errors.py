"""One error handler for every listener: log it, and answer the person kindly instead of a 500.

It takes no `services`: an error raised in Bolt's own middleware (signature check, authorize),
which runs before `ServicesInContext`, reaches it with a context that has none."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App, BoltResponse

SORRY = "Sorry — something went wrong on my side. Please try again in a moment."


def on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> BoltResponse:
    logger.exception(
        "listener failed for %s", body.get("type") or body.get("command"), exc_info=error
    )
    reply = {"response_type": "ephemeral", "text": SORRY}
    return BoltResponse(
        status=200,
        body=json.dumps(reply),
        headers={"content-type": "application/json;charset=utf-8"},
    )


def register(app: App) -> None:
    app.error(on_error)
