"""Buttons on challenge posts: Join and Leave on the announcement, Done on each day's post.
Answers are ephemeral, so the channel only sees the leaderboard change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.challenge import challenge_answer
from bot.blocks.ids import CHALLENGE_DONE, CHALLENGE_JOIN, CHALLENGE_LEAVE
from bot.domain.challenges import ChallengeOutcome
from bot.listeners.payloads import Payload, button_id, clicker

if TYPE_CHECKING:
    from bot.services.container import Services


def join(
    ack: Ack,
    action: Payload,
    body: Payload,
    respond: Respond,
    client: WebClient,
    services: Services,
) -> None:
    ack()
    who, profile = clicker(body, client)
    _answer(respond, services.challenges.join(who, button_id(action, "challenge"), profile))


def leave(
    ack: Ack,
    action: Payload,
    body: Payload,
    respond: Respond,
    client: WebClient,
    services: Services,
) -> None:
    ack()
    who, profile = clicker(body, client)
    _answer(respond, services.challenges.leave(who, button_id(action, "challenge"), profile))


def day_done(
    ack: Ack,
    action: Payload,
    body: Payload,
    respond: Respond,
    client: WebClient,
    services: Services,
) -> None:
    ack()
    who, profile = clicker(body, client)
    _answer(respond, services.challenges.done(who, button_id(action, "day"), profile))


def _answer(respond: Respond, outcome: ChallengeOutcome) -> None:
    respond(
        replace_original=False, response_type="ephemeral", **challenge_answer(outcome).as_kwargs()
    )


def register(app: App) -> None:
    app.action(CHALLENGE_JOIN)(join)
    app.action(CHALLENGE_LEAVE)(leave)
    app.action(CHALLENGE_DONE)(day_done)
