"""`/stretch`: parse the text, call a service, ack with the answer (visible only to the asker).

`settings`, `challenge` and `together` talk to Slack (open a modal, post in the channel): they
ack first and answer after, so a slow Slack never delays the ack.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.challenge import challenge_answer
from bot.blocks.exercise import exercise_card
from bot.blocks.fit import card_for, ruled_out_search_note, with_note
from bot.blocks.group_break import group_break_answer
from bot.blocks.help import error_message, help_message
from bot.blocks.languages import (
    language_chosen_message,
    languages_message,
    unknown_language_message,
)
from bot.blocks.library import library_message, no_match_message
from bot.blocks.message import Message, escape, notice
from bot.blocks.privacy import forget_confirmation
from bot.blocks.reminders import (
    paused_message,
    reminders_off_message,
    reminders_on_message,
    resumed_message,
)
from bot.blocks.self_reports import self_report_message
from bot.blocks.stats import stats_message
from bot.domain.cards import new_card
from bot.domain.challenges import USAGE, ChallengeOutcome
from bot.domain.commands import ParsedCommand, parse
from bot.domain.fit import fits, why_not
from bot.domain.i18n import _
from bot.domain.languages import parse_language
from bot.domain.pause import PauseParseError
from bot.domain.people import SlackUser
from bot.domain.self_reports import SelfReportError
from bot.listeners import days_off
from bot.listeners.admin import admin_command
from bot.listeners.identity import person_of
from bot.listeners.payloads import Json, text
from bot.listeners.settings import open_settings
from bot.listeners.team_library import library_command
from bot.listeners.work_hours import hours_command
from bot.slack.profiles import ClientProfile, profile_of

if TYPE_CHECKING:
    from bot.services.container import Services


@dataclass(frozen=True)
class Asked:
    """One `/stretch` request: who asked, what they typed, and how to reach Slack about them."""

    services: Services
    who: SlackUser
    parsed: ParsedCommand
    profile: ClientProfile
    trigger_id: str = ""  # the same for a command Slack retries


def _exercise_now(asked: Asked) -> Message:
    stretches = asked.services.stretches
    asker = stretches.asker(asked.who)
    choice = stretches.suggest_for(asked.who, asker.fit)
    return card_for(choice, new_card(), "command", offer_reminders=asker.offer_reminders)


def _search(asked: Asked) -> Message:
    """The best match in the asker's workspace library that suits them; if every match is ruled
    out for them, says so and offers one that suits instead."""
    stretches, words = asked.services.stretches, asked.parsed.argument
    library = stretches.library(asked.who)
    matches = library.search(words)
    if not matches:
        return no_match_message(words, library)
    asker = stretches.asker(asked.who)
    suitable = [exercise for exercise in matches if fits(exercise, asker.fit)]
    if suitable:
        return exercise_card(suitable[0], new_card(), offer_reminders=asker.offer_reminders)
    ruled_out = [(exercise, why_not(exercise, asker.fit) or "") for exercise in matches]
    card = card_for(
        stretches.suggest_for(asked.who, asker.fit),
        new_card(),
        "command",
        offer_reminders=asker.offer_reminders,
    )
    return with_note(card, ruled_out_search_note(words, ruled_out))


def _library(asked: Asked) -> Message:
    stretches = asked.services.stretches
    return library_message(stretches.library(asked.who), stretches.asker(asked.who).fit)


def _help(asked: Asked) -> Message:
    return error_message(asked.parsed.error) if asked.parsed.error else help_message()


def _on(asked: Asked) -> Message:
    status = asked.services.reminders.turn_on(asked.who, asked.profile)
    return reminders_on_message(status, asked.services.clock.now())


def _off(asked: Asked) -> Message:
    return reminders_off_message(asked.services.reminders.turn_off(asked.who, asked.profile))


def _pause(asked: Asked) -> Message:
    try:
        until, status = asked.services.reminders.pause(
            asked.who, asked.profile, asked.parsed.argument
        )
    except PauseParseError as problem:  # quotes what the person typed
        return notice(escape(str(problem)))
    return paused_message(until, status, asked.services.clock.now())


def _resume(asked: Asked) -> Message:
    status = asked.services.reminders.resume(asked.who, asked.profile)
    return resumed_message(status, asked.services.clock.now())


def _stats(asked: Asked) -> Message:
    return stats_message(asked.services.progress.view(asked.who))


def _did(asked: Asked) -> Message:
    try:
        report = asked.services.self_reports.did(
            asked.who, asked.profile, asked.parsed.argument, asked.trigger_id or new_card()
        )
    except SelfReportError as problem:
        return notice(str(problem))
    asked.services.home.refresh(asked.profile.client, asked.who)
    return self_report_message(report.what, report.done_today)


def _language(asked: Asked) -> Message:
    languages = asked.services.languages
    spoken = languages.current(asked.who, asked.profile)  # met for the first time: their locale
    if not asked.parsed.argument:
        return languages_message(spoken.language, spoken.follows_slack)
    language = parse_language(asked.parsed.argument)
    if language is None:
        return unknown_language_message(asked.parsed.argument)
    spoken = languages.choose(asked.who, asked.profile, language)
    asked.services.home.refresh(asked.profile.client, asked.who)
    return language_chosen_message(spoken.language, spoken.follows_slack)


def _forget(asked: Asked) -> Message:
    if asked.parsed.argument.lower() != "me":
        return notice(_("To delete your data, type `/stretch forget me`."))
    return forget_confirmation()


HANDLERS: dict[str, Callable[[Asked], Message]] = {
    "": _exercise_now,
    "search": _search,
    "list": _library,
    "help": _help,
    "on": _on,
    "off": _off,
    "hours": hours_command,
    "pause": _pause,
    "resume": _resume,
    "away": days_off.away,
    "stats": _stats,
    "did": _did,
    "forget": _forget,
    "language": _language,
}


def _settings(asked: Asked, command: Json, client: WebClient) -> Message | None:
    open_settings(asked.services, client, command.get("trigger_id", ""), asked.who, asked.profile)
    return None


def _challenge(asked: Asked, command: Json, client: WebClient) -> Message | None:
    action, _space, rest = asked.parsed.argument.partition(" ")
    challenges, channel = asked.services.challenges, command.get("channel_id", "")
    outcome: ChallengeOutcome
    match action.lower():
        case "start":
            outcome = challenges.start(asked.who, channel, rest, asked.profile, client)
        case "status" if not rest:
            outcome = challenges.status(asked.who, channel, asked.profile)
        case "end" | "stop" if not rest:
            outcome = challenges.end(asked.who, channel, asked.profile)
        case _:
            return notice(
                _(
                    "I don't know `/stretch challenge {argument}`. Use {usage}, "
                    "`/stretch challenge status` or `/stretch challenge end`.",
                    argument=asked.parsed.argument,
                    usage=_(USAGE),
                )
            )
    return challenge_answer(outcome)


def _together(asked: Asked, command: Json, client: WebClient) -> Message | None:
    outcome = asked.services.group_breaks.start(
        asked.who, command.get("channel_id", ""), asked.parsed.argument, asked.profile, client
    )
    return group_break_answer(outcome)


def _team_library(asked: Asked, command: Json, client: WebClient) -> Message | None:
    trigger_id = text(command.get("trigger_id"))
    return library_command(asked.services, asked.who, asked.parsed.argument, trigger_id, client)


# These talk to Slack, so they run after the ack.
AFTER_ACK: dict[str, Callable[[Asked, Json, WebClient], Message | None]] = {
    "settings": _settings,
    "challenge": _challenge,
    "library": _team_library,
    "admin": admin_command,
    "together": _together,
}


def stretch(
    ack: Ack, command: Json, client: WebClient, respond: Respond, services: Services
) -> None:
    parsed = parse(command.get("text") or "")
    who = person_of(command)
    trigger_id = command.get("trigger_id")
    asked = Asked(
        services,
        who,
        parsed,
        profile_of(client, who.user_id),
        trigger_id if isinstance(trigger_id, str) else "",
    )
    if parsed.name in AFTER_ACK:
        ack()
        reply = AFTER_ACK[parsed.name](asked, command, client)
        if reply is not None:
            respond(response_type="ephemeral", **reply.as_kwargs())
        return
    reply = HANDLERS[parsed.name](asked)
    ack(response_type="ephemeral", **reply.as_kwargs())


def register(app: App) -> None:
    app.command("/stretch")(stretch)
