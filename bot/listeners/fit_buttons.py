"""**More like this** and **Not for me** on activity cards and nudges: remember what the person
said, and show another card in place of this one (the same card id, so one message still counts
at most one Done)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.fit import card_for, hidden_note, with_note
from bot.blocks.ids import MORE_LIKE_THIS, NOT_FOR_ME
from bot.blocks.message import read_value
from bot.db.completions import SOURCES
from bot.domain.cards import is_card_id, nudge_id_of
from bot.listeners.card_buttons import say_stale
from bot.listeners.identity import clicker
from bot.listeners.payloads import Json

if TYPE_CHECKING:
    from bot.services.container import Services


def more_like_this(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    _answer_feedback(ack, action, body, respond, client, services, hide=False)


def not_for_me(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    _answer_feedback(ack, action, body, respond, client, services, hide=True)


def _answer_feedback(
    ack: Ack,
    action: Json,
    body: Json,
    respond: Respond,
    client: WebClient,
    services: Services,
    *,
    hide: bool,
) -> None:
    ack()
    value = read_value(action.get("value"))
    who, profile = clicker(body, client)
    activity = services.stretches.find(who, str(value.get("exercise", "")))
    card, source = str(value.get("card", "")), value.get("source")
    if activity is None or not is_card_id(card) or source not in SOURCES:
        say_stale(respond)
        return
    answer = (services.fit.not_for_me if hide else services.fit.more_like_this)(
        who, profile, activity, card, source
    )
    if answer is None:  # someone else's nudge
        say_stale(respond)
        return
    message = card_for(answer.choice, card, source, nudge_id_of(card))
    if hide:
        message = with_note(message, hidden_note(activity))
    respond(replace_original=True, **message.as_kwargs())


def register(app: App) -> None:
    app.action(MORE_LIKE_THIS)(more_like_this)
    app.action(NOT_FOR_ME)(not_for_me)
