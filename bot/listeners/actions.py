"""Buttons on exercise cards: Done, Another one, Start."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.exercise import ANOTHER, DONE, START, done_confirmation, exercise_card
from bot.blocks.message import read_value
from bot.listeners.commands import new_card
from bot.listeners.slack_payloads import tz_lookup, user_from_interaction
from bot.services.completions import SOURCES

if TYPE_CHECKING:
    from bot.bootstrap import Services

_CARD = re.compile(r"^[\w-]{1,80}$")

STALE = "That button is from an older version of this message — try `/stretch` again."


def register(app: App, services: Services) -> None:
    stretches = services.stretches

    @app.action(DONE)
    def on_done(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        value = read_value(action.get("value"))
        exercise = stretches.find(str(value.get("exercise", "")))
        card, source = str(value.get("card", "")), value.get("source", "command")
        if exercise is None or not _CARD.match(card) or source not in SOURCES:
            respond(text=STALE, replace_original=False, response_type="ephemeral")
            return
        who = user_from_interaction(body)
        result = stretches.complete(who, exercise, card, source, tz_lookup(client, who.user_id))
        respond(replace_original=True, **done_confirmation(exercise, result.done_today).as_kwargs())

    @app.action(ANOTHER)
    def on_another(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        value = read_value(action.get("value"))
        card = str(value.get("card", ""))
        if not _CARD.match(card) or value.get("source") not in SOURCES:
            respond(text=STALE, replace_original=False, response_type="ephemeral")
            return
        # The card stays the same: one message counts at most one Done, whichever exercise.
        exercise = stretches.suggest(user_from_interaction(body), avoid=value.get("exercise"))
        respond(replace_original=True, **exercise_card(exercise, card, value["source"]).as_kwargs())

    @app.action(START)
    def on_start(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        exercise = stretches.find(action.get("value") or "")
        from_home_tab = (body.get("container") or {}).get("type") == "view"
        if exercise is None:
            if not from_home_tab:
                respond(text=STALE, replace_original=False, response_type="ephemeral")
            return
        card = exercise_card(exercise, new_card())
        if from_home_tab:  # the Home tab has no response_url: the card goes to the app's DM
            client.chat_postMessage(channel=user_from_interaction(body).user_id, **card.as_kwargs())
        else:
            respond(replace_original=False, response_type="ephemeral", **card.as_kwargs())
