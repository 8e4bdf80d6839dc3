"""Buttons on challenge posts: Join and Leave on the announcement, Done on each day's post.
Answers are ephemeral, so the channel only sees the leaderboard change."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.ids import CHALLENGE_DONE, CHALLENGE_JOIN, CHALLENGE_LEAVE
from bot.blocks.message import Message, read_value
from bot.domain.people import SlackProfile, SlackUser
from bot.listeners.payloads import user_from_interaction
from bot.slack.profiles import ClientProfile

if TYPE_CHECKING:
    from bot.services.container import Services

Use = Callable[[SlackUser, int, SlackProfile], Message]


def _id(action: dict[str, Any], key: str) -> int:
    value = read_value(action.get("value")).get(key)
    return value if isinstance(value, int) and value > 0 else 0


def register(app: App, services: Services) -> None:
    challenges = services.challenges
    # action id → (the use case, the key in the button's value that names its target)
    buttons: dict[str, tuple[Use, str]] = {
        CHALLENGE_JOIN: (challenges.join, "challenge"),
        CHALLENGE_LEAVE: (challenges.leave, "challenge"),
        CHALLENGE_DONE: (challenges.done, "day"),
    }
    for action_id, (use, key) in buttons.items():
        app.action(action_id)(_listener(use, key))


def _listener(use: Use, key: str) -> Callable[..., None]:
    def on_click(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        who = user_from_interaction(body)
        answer = use(who, _id(action, key), ClientProfile(client, who.user_id))
        respond(replace_original=False, response_type="ephemeral", **answer.as_kwargs())

    return on_click
