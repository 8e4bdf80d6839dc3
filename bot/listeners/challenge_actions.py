"""Buttons on challenge posts: Join and Leave on the announcement, Done on each day's post.
Answers are ephemeral, so the channel only sees the leaderboard change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.ids import CHALLENGE_DONE, CHALLENGE_JOIN, CHALLENGE_LEAVE
from bot.blocks.message import Message, read_value
from bot.listeners.slack_payloads import ClientProfile, user_from_interaction

if TYPE_CHECKING:
    from bot.bootstrap import Services


def _id(action: dict[str, Any], key: str) -> int:
    value = read_value(action.get("value")).get(key)
    return value if isinstance(value, int) and value > 0 else 0


def register(app: App, services: Services) -> None:
    challenges = services.challenges

    def reply(respond: Respond, message: Message) -> None:
        respond(replace_original=False, response_type="ephemeral", **message.as_kwargs())

    @app.action(CHALLENGE_JOIN)
    def on_join(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        who = user_from_interaction(body)
        reply(
            respond,
            challenges.join(who, _id(action, "challenge"), ClientProfile(client, who.user_id)),
        )

    @app.action(CHALLENGE_LEAVE)
    def on_leave(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        who = user_from_interaction(body)
        reply(
            respond,
            challenges.leave(who, _id(action, "challenge"), ClientProfile(client, who.user_id)),
        )

    @app.action(CHALLENGE_DONE)
    def on_done(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        who = user_from_interaction(body)
        reply(respond, challenges.done(who, _id(action, "day"), ClientProfile(client, who.user_id)))
