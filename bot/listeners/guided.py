"""Guided mode's buttons: Guide me (on a card or a challenge post), Next, Back and Done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.challenge import challenge_answer
from bot.blocks.exercise import done_confirmation
from bot.blocks.group_break import group_break_answer
from bot.blocks.ids import GUIDE_BACK, GUIDE_DONE, GUIDE_NEXT, GUIDE_START
from bot.blocks.message import Message, read_value
from bot.domain.challenges import DayDone, Outcome
from bot.domain.i18n import _
from bot.listeners.card_buttons import STALE
from bot.listeners.identity import channel_of, clicker
from bot.listeners.payloads import Json, button_id, mapping, text
from bot.services.stretches import CompletionResult
from bot.slack.guided import NewEphemeralSurface, ResponseUrlSurface, StepSurface

if TYPE_CHECKING:
    from bot.services.container import Services


def guide_me(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    if "day" not in read_value(action.get("value")):  # a card's Guide me: its first step
        move(ack, action, body, respond, client, services)
        return
    ack()
    who, profile = clicker(body, client)
    walk = services.guide.start_challenge_day(
        who, channel_of(body), button_id(action, "day"), profile
    )
    if isinstance(walk, Outcome):
        answer = challenge_answer(walk)
        respond(replace_original=False, response_type="ephemeral", **answer.as_kwargs())
        return
    services.guided_steps.show(walk, NewEphemeralSurface(respond))


def move(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    ack()
    who, profile = clicker(body, client)
    walk = services.guide.click(who, channel_of(body), read_value(action.get("value")), profile)
    if walk is None:
        _say_stale(respond)
        return
    services.guided_steps.show(walk, _surface(body, respond, client, services))


def done(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    ack()
    who, profile = clicker(body, client)
    finished = services.guide.finish(
        who, channel_of(body), read_value(action.get("value")), profile, client
    )
    if finished is None:
        _say_stale(respond)
        return
    answer: Message | None
    if isinstance(finished, CompletionResult):
        answer = done_confirmation(finished.activity, finished.done_today)
    elif isinstance(finished, DayDone | Outcome):
        answer = challenge_answer(finished)
    else:
        answer = group_break_answer(finished)
    if answer is not None:
        _surface(body, respond, client, services).send(answer)
    services.home.refresh(client, who)  # streaks and totals changed


def _surface(body: Json, respond: Respond, client: WebClient, services: Services) -> StepSurface:
    """Where the click's answer goes: the ephemeral message itself; the person's DM with the app,
    updated in place; or, for a message others see too, a new one only the clicker sees."""
    container = mapping(body.get("container"))
    channel, ts = text(container.get("channel_id")), text(container.get("message_ts"))
    if container.get("is_ephemeral") is True:
        return ResponseUrlSurface(respond, services.clock)
    if channel.startswith("D") and ts:
        team = text(mapping(body.get("team")).get("id"))
        return services.guided_steps.in_direct_message(client, channel, ts, team)
    return NewEphemeralSurface(respond)


def _say_stale(respond: Respond) -> None:
    respond(text=_(STALE), replace_original=False, response_type="ephemeral")


def register(app: App) -> None:
    app.action(GUIDE_START)(guide_me)
    app.action(GUIDE_NEXT)(move)
    app.action(GUIDE_BACK)(move)
    app.action(GUIDE_DONE)(done)
