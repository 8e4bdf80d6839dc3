"""Days off from Slack: `/stretch away …`, and on the Home tab the Cancel buttons, "Plan time off"
and its modal. (`/stretch admin holidays …` is with the admin's commands: `bot.listeners.admin`.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.days_off import (
    FIRST_DAY_BLOCK,
    LAST_DAY_BLOCK,
    TIME_OFF_CALLBACK,
    cancel_needs_number,
    no_such_time_off,
    read_time_off_dates,
    time_off_cancelled_message,
    time_off_list_message,
    time_off_modal,
    time_off_planned_message,
)
from bot.blocks.ids import CANCEL_TIME_OFF, PLAN_TIME_OFF
from bot.blocks.message import Message, escape, notice
from bot.domain.time_off import TimeOffParseError
from bot.listeners.identity import clicker
from bot.listeners.payloads import Json, button_id, mapping

if TYPE_CHECKING:
    from bot.listeners.commands import Asked
    from bot.services.container import Services


def away(asked: Asked) -> Message:
    """`/stretch away <dates>`, `away list`, `away cancel N`; `away` alone lists too."""
    days_off, words = asked.services.days_off, asked.parsed.argument
    head, _space, rest = words.partition(" ")
    if head.lower() in ("", "list") and not rest:
        return time_off_list_message(days_off.overview(asked.who, asked.profile))
    if head.lower() == "cancel":
        if not rest.isdigit():
            return cancel_needs_number()
        cancelled = days_off.cancel_numbered(asked.who, asked.profile, int(rest))
        if cancelled is None:
            return no_such_time_off(rest)
        return time_off_cancelled_message(cancelled.span, cancelled.today)
    try:
        planned = days_off.plan_text(asked.who, asked.profile, words)
    except TimeOffParseError as problem:  # quotes what the person typed
        return notice(escape(str(problem)))
    return time_off_planned_message(planned.span, planned.today, added=planned.added)


def plan_button(ack: Ack, body: Json, client: WebClient, services: Services) -> None:
    ack()
    who, profile = clicker(body, client)
    today = services.days_off.overview(who, profile).today
    client.views_open(trigger_id=body.get("trigger_id", ""), view=time_off_modal(today))


def cancel_button(
    ack: Ack, body: Json, action: Json, client: WebClient, services: Services
) -> None:
    """Cancels only the clicker's own time off: a forged or copied value changes nothing."""
    ack()
    who, profile = clicker(body, client)
    services.days_off.cancel(who, profile, button_id(action, "time_off"))
    services.home.refresh(client, who)


def time_off_submitted(
    ack: Ack, body: Json, view: Json, client: WebClient, services: Services
) -> None:
    """Errors on the fields, nothing saved; or saved, the modal closed and the Home refreshed."""
    picked = read_time_off_dates(mapping(view.get("state")).get("values"))
    if isinstance(picked, dict):
        ack(response_action="errors", errors=picked)
        return
    who, profile = clicker(body, client)
    try:
        services.days_off.plan_dates(who, profile, *picked)
    except TimeOffParseError as problem:
        field = FIRST_DAY_BLOCK if problem.about_first else LAST_DAY_BLOCK
        ack(response_action="errors", errors={field: str(problem)})
        return
    ack()
    services.home.refresh(client, who)


def register(app: App) -> None:
    app.action(PLAN_TIME_OFF)(plan_button)
    app.action(CANCEL_TIME_OFF)(cancel_button)
    app.view(TIME_OFF_CALLBACK)(time_off_submitted)
