"""Reminder buttons (turn on, turn off, Resume, Pause for today), wherever they are: on replies,
on cards (the reminder offer) and on the Home tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.ids import PAUSE_TODAY, REMINDERS_OFF, REMINDERS_ON, RESUME
from bot.blocks.message import Message
from bot.blocks.reminders import (
    paused_message,
    reminders_off_message,
    reminders_on_message,
    resumed_message,
)
from bot.listeners.identity import clicker, person_of
from bot.listeners.payloads import Json, from_home_tab

if TYPE_CHECKING:
    from bot.services.container import Services


def turn_on(ack: Ack, body: Json, respond: Respond, client: WebClient, services: Services) -> None:
    ack()
    status = services.reminders.turn_on(*clicker(body, client))
    answer = reminders_on_message(status, services.clock.now())
    # Beside the clicked message, not in its place: the button also offers reminders under
    # exercise cards, and the card must stay.
    _answer(body, respond, client, services, answer, replace=False)


def turn_off(ack: Ack, body: Json, respond: Respond, client: WebClient, services: Services) -> None:
    ack()
    answer = reminders_off_message(services.reminders.turn_off(*clicker(body, client)))
    _answer(body, respond, client, services, answer, replace=True)


def resume(ack: Ack, body: Json, respond: Respond, client: WebClient, services: Services) -> None:
    ack()
    status = services.reminders.resume(*clicker(body, client))
    answer = resumed_message(status, services.clock.now())
    _answer(body, respond, client, services, answer, replace=True)


def pause_today(
    ack: Ack, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    ack()
    until, status = services.reminders.pause(*clicker(body, client), "today")
    answer = paused_message(until, status, services.clock.now())
    _answer(body, respond, client, services, answer, replace=True)


def _answer(
    body: Json,
    respond: Respond,
    client: WebClient,
    services: Services,
    answer: Message,
    *,
    replace: bool,
) -> None:
    """Replace the clicked message (or add an ephemeral one); on the Home tab, refresh it."""
    if from_home_tab(body):
        services.home.refresh(client, person_of(body))
    elif replace:
        respond(replace_original=True, **answer.as_kwargs())
    else:
        respond(replace_original=False, response_type="ephemeral", **answer.as_kwargs())


def register(app: App) -> None:
    app.action(REMINDERS_ON)(turn_on)
    app.action(REMINDERS_OFF)(turn_off)
    app.action(RESUME)(resume)
    app.action(PAUSE_TODAY)(pause_today)
