"""`/stretch`: parse the text, build the answer, ack with it (visible only to the asker)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App

from bot.blocks.exercise import exercise_card
from bot.blocks.help import error_message, help_message
from bot.blocks.library import library_message, no_match_message
from bot.blocks.message import Message
from bot.commands import ParsedCommand, parse
from bot.listeners.slack_payloads import user_from_command
from bot.services.people import SlackUser

if TYPE_CHECKING:
    from bot.bootstrap import Services

Handler = Callable[["Services", SlackUser, ParsedCommand], Message]


def new_card() -> str:
    return uuid.uuid4().hex


def _exercise_now(services: Services, who: SlackUser, _: ParsedCommand) -> Message:
    return exercise_card(services.stretches.suggest(who), new_card())


def _search(services: Services, _who: SlackUser, parsed: ParsedCommand) -> Message:
    matches = services.stretches.library.search(parsed.argument)
    if not matches:
        return no_match_message(parsed.argument, services.stretches.library)
    return exercise_card(matches[0], new_card())


def _library(services: Services, _who: SlackUser, _: ParsedCommand) -> Message:
    return library_message(services.stretches.library)


def _help(_services: Services, _who: SlackUser, parsed: ParsedCommand) -> Message:
    return error_message(parsed.error) if parsed.error else help_message()


HANDLERS: dict[str, Handler] = {
    "": _exercise_now,
    "search": _search,
    "list": _library,
    "help": _help,
}


def register(app: App, services: Services) -> None:
    @app.command("/stretch")
    def on_stretch(ack: Ack, command: dict[str, Any]) -> None:
        parsed = parse(command.get("text") or "")
        reply = HANDLERS[parsed.name](services, user_from_command(command), parsed)
        ack(response_type="ephemeral", **reply.as_kwargs())
