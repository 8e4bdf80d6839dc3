"""Undo, under a card or nudge answered with Done, Skip or I moved anyway: for a minute it puts
the message back as it was, buttons and all, and takes the answer back; later it says it is too
late and changes nothing. The message is answered through the click's `response_url`, which
replaces it in place — a DM nudge and an ephemeral `/stretch` card alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.ids import UNDO_DONE, UNDO_SKIP
from bot.blocks.message import notice, read_value
from bot.blocks.undo import NOTHING_TO_UNDO, TOO_LATE, restored_message
from bot.domain.cards import is_card_id
from bot.domain.i18n import _
from bot.domain.undo import Restored, Undone
from bot.listeners.identity import person_of
from bot.listeners.payloads import Json, button_id, text

if TYPE_CHECKING:
    from bot.services.container import Services


def undo_done(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    ack()
    value = read_value(action.get("value"))
    card, source = text(value.get("card")), text(value.get("source"))
    who = person_of(body)
    if not is_card_id(card):
        _answer(respond, Undone.NOTHING, None)
        return
    undone, restored = services.undo.undo_done(who, source, card, value.get("at"))
    _answer(respond, undone, restored)
    if undone is Undone.UNDONE:
        services.home.refresh(client, who)  # streaks and totals changed back


def undo_skip(ack: Ack, action: Json, body: Json, respond: Respond, services: Services) -> None:
    ack()
    at = read_value(action.get("value")).get("at")
    undone, restored = services.undo.undo_skip(person_of(body), button_id(action, "nudge"), at)
    _answer(respond, undone, restored)


def _answer(respond: Respond, undone: Undone, restored: Restored | None) -> None:
    """The message restored in place; otherwise a note beside it, the message left as it is."""
    if restored is not None:
        respond(replace_original=True, **restored_message(restored).as_kwargs())
        return
    words = TOO_LATE if undone is Undone.TOO_LATE else NOTHING_TO_UNDO
    respond(replace_original=False, response_type="ephemeral", **notice(_(words)).as_kwargs())


def register(app: App) -> None:
    app.action(UNDO_DONE)(undo_done)
    app.action(UNDO_SKIP)(undo_skip)
