"""Buttons: on activity cards (Done, Another one, Start, Snooze, Skip) and for reminders
(turn on / off, Settings, Resume), wherever they appear — ephemeral answers, DMs, the Home tab."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.exercise import activity_card, done_confirmation
from bot.blocks.ids import (
    ANOTHER,
    DONE,
    FORGET_ME,
    OPEN_SETTINGS,
    PAUSE_TODAY,
    REMINDERS_OFF,
    REMINDERS_ON,
    RESUME,
    SKIP,
    SNOOZE,
    START,
    START_RANDOM,
)
from bot.blocks.message import Message, read_value
from bot.blocks.nudge import nudge_id_of, skipped_message, snoozed_message
from bot.blocks.privacy import forgotten
from bot.blocks.reminders import (
    paused_message,
    reminders_off_message,
    reminders_on_message,
    resumed_message,
)
from bot.db.completions import SOURCES
from bot.domain.people import SlackUser
from bot.listeners.commands import new_card, open_settings
from bot.listeners.payloads import user_from_interaction
from bot.slack.profiles import ClientProfile

if TYPE_CHECKING:
    from bot.services.container import Services

_CARD = re.compile(r"^[\w-]{1,80}$")

STALE = "That button is from an older version of this message — try `/stretch` again."


def _from_home_tab(body: dict[str, Any]) -> bool:
    """Home tab clicks come with no response_url: answers go to the tab itself or the DM."""
    return (body.get("container") or {}).get("type") == "view"


def register(app: App, services: Services) -> None:
    stretches, reminders = services.stretches, services.reminders

    def answer(
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
        message: Message,
        *,
        replace: bool,
    ) -> None:
        """Replace the clicked message (or add an ephemeral one); on the Home tab, refresh it."""
        if _from_home_tab(body):
            services.home.refresh(client, user_from_interaction(body))
        elif replace:
            respond(replace_original=True, **message.as_kwargs())
        else:
            respond(replace_original=False, response_type="ephemeral", **message.as_kwargs())

    @app.action(DONE)
    def on_done(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        value = read_value(action.get("value"))
        activity = stretches.find(str(value.get("exercise", "")))
        card, source = str(value.get("card", "")), value.get("source", "command")
        if activity is None or not _CARD.match(card) or source not in SOURCES:
            respond(text=STALE, replace_original=False, response_type="ephemeral")
            return
        who = user_from_interaction(body)
        result = stretches.complete(who, activity, card, source, ClientProfile(client, who.user_id))
        respond(replace_original=True, **done_confirmation(activity, result.done_today).as_kwargs())
        services.home.refresh(client, who)  # streaks and totals changed

    @app.action(ANOTHER)
    def on_another(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        value = read_value(action.get("value"))
        card, source = str(value.get("card", "")), value.get("source")
        if not _CARD.match(card) or source not in SOURCES:
            respond(text=STALE, replace_original=False, response_type="ephemeral")
            return
        # The card stays the same: one message counts at most one Done, whichever exercise.
        exercise = stretches.suggest(user_from_interaction(body), avoid=value.get("exercise"))
        card_message = activity_card(exercise, card, source, nudge_id_of(card))
        respond(replace_original=True, **card_message.as_kwargs())

    @app.action(START)
    def on_start(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        exercise = stretches.find(action.get("value") or "")
        if exercise is None:
            if not _from_home_tab(body):
                respond(text=STALE, replace_original=False, response_type="ephemeral")
            return
        card = activity_card(exercise, new_card(), "command")
        if _from_home_tab(body):  # the Home tab has no response_url: the card goes to the DM
            client.chat_postMessage(channel=user_from_interaction(body).user_id, **card.as_kwargs())
        else:
            respond(replace_original=False, response_type="ephemeral", **card.as_kwargs())

    # Snooze and Skip answer a nudge: the use case, then the line that replaces the nudge.
    nudge_answers = {
        SNOOZE: lambda who, nudge: _answered(reminders.snooze(who, nudge), snoozed_message),
        SKIP: lambda who, nudge: _answered(reminders.skip(who, nudge), skipped_message),
    }
    for action_id, use in nudge_answers.items():
        app.action(action_id)(_nudge_listener(use))

    @app.action(START_RANDOM)
    def on_start_random(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        who = user_from_interaction(body)
        card = activity_card(stretches.suggest(who), new_card(), "command")
        client.chat_postMessage(channel=who.user_id, **card.as_kwargs())

    now = services.clock.now
    # Reminder buttons, wherever they are (replies, the Home tab): the change, then its answer.
    changes: dict[str, tuple[Callable[[SlackUser, ClientProfile], Message], bool]] = {
        REMINDERS_ON: (
            lambda who, p: reminders_on_message(reminders.turn_on(who, p), now()),
            False,
        ),
        REMINDERS_OFF: (lambda who, p: reminders_off_message(reminders.turn_off(who, p)), True),
        RESUME: (lambda who, p: resumed_message(reminders.resume(who, p), now()), True),
        PAUSE_TODAY: (
            lambda who, p: paused_message(*reminders.pause(who, p, "today"), now()),
            True,
        ),
    }
    for action_id, (change, replace) in changes.items():
        app.action(action_id)(_reminder_listener(change, replace, answer))

    @app.action(FORGET_ME)
    def on_forget_me(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        who = user_from_interaction(body)
        respond(replace_original=True, **forgotten(services.progress.forget(who)).as_kwargs())
        services.home.refresh(client, who)

    @app.action(OPEN_SETTINGS)
    def on_open_settings(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        who = user_from_interaction(body)
        open_settings(
            services, client, body.get("trigger_id", ""), who, ClientProfile(client, who.user_id)
        )


def _nudge_id(action: dict[str, Any]) -> int:
    value = read_value(action.get("value")).get("nudge")
    return value if isinstance(value, int) and value > 0 else 0


def _reminder_listener(
    change: Callable[[SlackUser, ClientProfile], Message],
    replace: bool,
    answer: Callable[..., None],
) -> Callable[..., None]:
    def on_click(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        who = user_from_interaction(body)
        answer(
            body, respond, client, change(who, ClientProfile(client, who.user_id)), replace=replace
        )

    return on_click


def _answered(result: tuple | None, message: Callable[..., Message]) -> Message | None:
    """None when the nudge is not the clicker's (or no longer exists)."""
    return None if result is None else message(*result)


def _nudge_listener(use: Callable[[SlackUser, int], Message | None]) -> Callable[..., None]:
    def on_click(ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond) -> None:
        ack()
        answer = use(user_from_interaction(body), _nudge_id(action))
        if answer is None:
            respond(text=STALE, replace_original=False, response_type="ephemeral")
            return
        respond(replace_original=True, **answer.as_kwargs())

    return on_click
