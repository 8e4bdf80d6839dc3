"""The Delete my data button under `/stretch forget me`'s confirmation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.ids import FORGET_ME
from bot.blocks.privacy import forgotten
from bot.listeners.identity import person_of
from bot.listeners.payloads import Json

if TYPE_CHECKING:
    from bot.services.container import Services


def forget_me(
    ack: Ack, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    ack()
    who = person_of(body)
    respond(replace_original=True, **forgotten(services.progress.forget(who)).as_kwargs())
    services.home.refresh(client, who)


def register(app: App) -> None:
    app.action(FORGET_ME)(forget_me)
