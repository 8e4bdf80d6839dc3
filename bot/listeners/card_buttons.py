"""Buttons on activity cards and nudges (Done, Another one, Snooze, Skip — More like this and
Not for me are in `fit_buttons`), and the Start buttons that ask for a card (the library's, the
Home tab's) — wherever they appear: ephemeral answers, DMs, the Home tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.exercise import activity_card, done_confirmation
from bot.blocks.fit import card_for
from bot.blocks.ids import ANOTHER, DONE, SKIP, SNOOZE, START, START_RANDOM, UNDO_DONE, UNDO_SKIP
from bot.blocks.message import Message, read_value
from bot.blocks.nudge import skipped_message, snoozed_message
from bot.blocks.undo import undo_done_value, undo_skip_value, with_undo
from bot.db.completions import SOURCES
from bot.domain.cards import is_card_id, new_card, nudge_id_of
from bot.domain.i18n import N_, _
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.undo import UNDOABLE_SOURCES
from bot.listeners.identity import clicker, person_of
from bot.listeners.payloads import Json, button_id, from_home_tab, text

if TYPE_CHECKING:
    from bot.services.container import Services

STALE = N_("That button is from an older version of this message — try `/stretch` again.")


def done(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    """The Done is recorded before the ack, so an acked Done is counted whatever happens next;
    the answer on the card and the Home refresh follow on the after-ack threads, leaving Bolt's
    listener threads to ack the next clicks (issue 16). A crash in between loses the answer or
    the refresh, never the Done."""
    who, profile = clicker(body, client)
    try:
        answer = _record_done(who, read_value(action.get("value")), profile, services)
    finally:
        ack()  # also when recording failed: Slack is not to resend a click
    if answer is None:
        services.after_ack.submit("stale Done answer", lambda: say_stale(respond))
        return
    message = answer.as_kwargs()
    services.after_ack.submit("Done answer", lambda: respond(replace_original=True, **message))
    services.home.refresh(client, who)  # streaks and totals changed


def _record_done(
    who: SlackUser, value: dict, profile: SlackProfile, services: Services
) -> Message | None:
    """The card's Done recorded; what the card then says (None: a stale or foreign button)."""
    activity = services.stretches.find(who, str(value.get("exercise", "")))
    card, source = str(value.get("card", "")), value.get("source", "command")
    if activity is None or not is_card_id(card) or source not in SOURCES:
        return None
    result = services.stretches.complete(who, activity, card, source, profile)
    if result is None:  # someone else's nudge
        return None
    answer = done_confirmation(activity, result.done_today)
    if source in UNDOABLE_SOURCES:
        answer = with_undo(answer, UNDO_DONE, undo_done_value(card, source, result.completed_at))
    return answer


def another_one(ack: Ack, action: Json, body: Json, respond: Respond, services: Services) -> None:
    ack()
    value = read_value(action.get("value"))
    card, source = str(value.get("card", "")), value.get("source")
    if not is_card_id(card) or source not in SOURCES:
        say_stale(respond)
        return
    # The card stays the same: one message counts at most one Done, whichever exercise.
    choice = services.stretches.suggest(person_of(body), avoid=value.get("exercise"))
    respond(replace_original=True, **card_for(choice, card, source, nudge_id_of(card)).as_kwargs())


def start(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    ack()
    who = person_of(body)
    exercise = services.stretches.find(who, text(action.get("value")))
    if exercise is None:
        if not from_home_tab(body):
            say_stale(respond)
        return
    card = activity_card(exercise, new_card(), "command")
    if from_home_tab(body):  # the Home tab has no response_url: the card goes to the DM
        client.chat_postMessage(channel=who.user_id, **card.as_kwargs())
    else:
        respond(replace_original=False, response_type="ephemeral", **card.as_kwargs())


def start_random(ack: Ack, body: Json, client: WebClient, services: Services) -> None:
    ack()
    who = person_of(body)
    card = card_for(services.stretches.suggest(who), new_card(), "command")
    client.chat_postMessage(channel=who.user_id, **card.as_kwargs())


def snooze(ack: Ack, action: Json, body: Json, respond: Respond, services: Services) -> None:
    ack()
    again = services.reminders.snooze(person_of(body), button_id(action, "nudge"))
    _answer_nudge(respond, None if again is None else snoozed_message(*again))


def skip(ack: Ack, action: Json, body: Json, respond: Respond, services: Services) -> None:
    ack()
    nudge = button_id(action, "nudge")
    skipped = services.reminders.skip(person_of(body), nudge)
    if skipped is None:
        _answer_nudge(respond, None)
        return
    next_at, zone, skipped_at = skipped
    answer = skipped_message(next_at, zone)
    if skipped_at is not None:  # the skip that counted, not a click after another answer
        answer = with_undo(answer, UNDO_SKIP, undo_skip_value(nudge, skipped_at))
    _answer_nudge(respond, answer)


def _answer_nudge(respond: Respond, answer: Message | None) -> None:
    """Replace the nudge with the answer; None when the nudge is not the clicker's (or gone)."""
    if answer is None:
        say_stale(respond)
        return
    respond(replace_original=True, **answer.as_kwargs())


def say_stale(respond: Respond) -> None:
    respond(text=_(STALE), replace_original=False, response_type="ephemeral")


def register(app: App) -> None:
    app.action(DONE)(done)
    app.action(ANOTHER)(another_one)
    app.action(START)(start)
    app.action(START_RANDOM)(start_random)
    app.action(SNOOZE)(snooze)
    app.action(SKIP)(skip)
