"""Refusing a request whose envelope no listener can act on, before Bolt authorizes it (the
Bolt app's `before_authorize`, run over HTTP and Socket Mode alike).

Slack always says who is asking (a user id in a workspace) and, for a block action, which
action from which container; a body without them is not Slack's, or is broken. It gets a 400
and one warning line — no listener runs, so nothing is saved for an empty id, and neither Bolt's
authorization and matchers nor our listeners meet an `event` or a `view` that is a string, or an
empty `actions`. The fields inside (button values, event fields) are the listeners' to read
defensively (`bot.listeners.payloads`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.listeners.identity import person_of
from bot.listeners.payloads import Json, mapping, text

logger = logging.getLogger(__name__)


def problem_with(body: Json) -> str | None:
    """What makes `body` unusable, or None when the listeners can take it from here."""
    kind = body.get("type")
    if kind == "event_callback":
        if not isinstance(body.get("event"), dict):
            return "event is not an object"
        # An org-wide install's `app_uninstalled` names only the org (in `authorizations`).
        event_from = person_of(body)
        return None if event_from.team_id or event_from.enterprise_id else "no team or org id"
    if kind == "view_submission" and not isinstance(body.get("view"), dict):
        return "view is not an object"
    if kind == "block_actions" and (action := _first_action_problem(body)):
        return action
    if "command" not in body and kind not in ("block_actions", "view_submission"):
        return None  # url_verification, ssl_check, …: Bolt's own
    who = person_of(body)
    return None if who.team_id and who.user_id else "no user or team id"


def _first_action_problem(body: Json) -> str | None:
    actions, container = body.get("actions"), body.get("container")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        return "actions is not a list of objects"
    if not isinstance(container, dict):
        return "container is not an object"
    if mapping(container).get("type") != "view" and not text(body.get("response_url")):
        return "no response_url for a message's button"  # only the Home tab has none
    return None


class RefuseMalformed(Middleware):
    """A 400 for a body `problem_with` finds unusable."""

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        problem = problem_with(req.body)
        if problem is None:
            return next()
        logger.warning("refused a %s: %s", req.body.get("type") or "command", problem)
        return BoltResponse(
            status=400,
            body=json.dumps({"ok": False, "error": "malformed_payload"}),
            headers={"content-type": "application/json;charset=utf-8"},
        )
