"""Buttons on challenge posts: Join and Leave on the announcement, Done on each day's post.
Answers are ephemeral, so the channel only sees the leaderboard change."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.challenge import challenge_answer
from bot.blocks.ids import CHALLENGE_DONE, CHALLENGE_JOIN, CHALLENGE_LEAVE
from bot.domain.challenges import ChallengeOutcome
from bot.domain.people import SlackProfile, SlackUser
from bot.listeners.identity import channel_of, clicker
from bot.listeners.payloads import Json, button_id

if TYPE_CHECKING:
    from bot.services.container import Services


def join(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    _click(ack, body, respond, client, services.challenges.join, button_id(action, "challenge"))


def leave(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    _click(ack, body, respond, client, services.challenges.leave, button_id(action, "challenge"))


def day_done(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    _click(ack, body, respond, client, services.challenges.done, button_id(action, "day"))


def _click(
    ack: Ack,
    body: Json,
    respond: Respond,
    client: WebClient,
    use_case: Callable[[SlackUser, str, int, SlackProfile], ChallengeOutcome],
    target_id: int,
) -> None:
    """Ack; then the use case, for the clicker, on the challenge or day the button names, if
    it is clicked in that challenge's channel; then the answer, to the clicker alone."""
    ack()
    who, profile = clicker(body, client)
    answer = challenge_answer(use_case(who, channel_of(body), target_id, profile))
    respond(replace_original=False, response_type="ephemeral", **answer.as_kwargs())


def register(app: App) -> None:
    app.action(CHALLENGE_JOIN)(join)
    app.action(CHALLENGE_LEAVE)(leave)
    app.action(CHALLENGE_DONE)(day_done)
