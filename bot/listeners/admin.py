"""The admin's entry points: the Admin section's buttons, the defaults modal's submission, and
`/stretch admin`, `admin team`, `admin holidays <CC> [region]` | `off`. The service re-checks
with Slack that the person is an admin every time, so a forged button or submission from anyone
else gets a refusal and changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.admin import (
    CAP_BLOCK,
    DEFAULTS_CALLBACK,
    NOT_AN_ADMIN,
    defaults_modal,
    team_message,
    team_modal,
)
from bot.blocks.admin_form import parse_defaults
from bot.blocks.days_off import HOLIDAYS_USAGE, not_an_admin_message, workspace_holidays_message
from bot.blocks.ids import EDIT_WORKSPACE_DEFAULTS, OPEN_TEAM_VIEW
from bot.blocks.message import Message, escape, notice
from bot.domain.holidays import UnknownRegion
from bot.domain.i18n import N_, _
from bot.domain.people import SlackUser
from bot.listeners.identity import person_of
from bot.listeners.payloads import Json, mapping
from bot.services.admin import NotAnAdmin

if TYPE_CHECKING:
    from bot.listeners.commands import Asked
    from bot.services.container import Services

ADMIN_USAGE = N_(
    "`/stretch admin` (workspace defaults), `/stretch admin team` (team view) or "
    "`/stretch admin holidays DE` (`US CA` with a region, `off` to clear)"
)


def admin_command(asked: Asked, command: Json, client: WebClient) -> Message | None:
    """`/stretch admin`: the defaults modal; `admin team`: the team view, here; `admin holidays
    <CC> [region]` or `off`: the workspace's public holidays, without the modal."""
    services, who, argument = asked.services, asked.who, asked.parsed.argument
    topic, _space, rest = argument.partition(" ")
    try:
        match topic.lower():
            case "" if not rest:
                open_defaults(services, client, who, asked.trigger_id)
                return None
            case "team" if not rest:
                numbers = services.admin.team(client, who)
                return team_message(numbers, services.stretches.library(who))
            case "holidays" if rest.strip():
                return _holidays(asked, client, rest)
            case _:
                return notice(
                    _(
                        "I don't know `/stretch admin {argument}`. Use {usage}.",
                        argument=escape(argument[:60]),
                        usage=_(ADMIN_USAGE),
                    )
                )
    except NotAnAdmin:
        return notice(_(NOT_AN_ADMIN))


def _holidays(asked: Asked, client: WebClient, words: str) -> Message:
    try:
        outcome = asked.services.days_off.set_workspace_holidays(
            asked.who, asked.profile, client, words
        )
    except UnknownRegion as problem:  # quotes what the person typed
        return notice(f"{escape(str(problem))} {_(HOLIDAYS_USAGE)}")
    if not outcome.allowed:
        return not_an_admin_message()
    return workspace_holidays_message(outcome.region)


def open_defaults(services: Services, client: WebClient, who: SlackUser, trigger_id: str) -> None:
    """Raises `NotAnAdmin`."""
    defaults = services.admin.defaults(client, who)
    client.views_open(trigger_id=trigger_id, view=defaults_modal(defaults))


def edit_defaults_button(ack: Ack, body: Json, client: WebClient, services: Services) -> None:
    ack()
    who = person_of(body)
    try:
        open_defaults(services, client, who, str(body.get("trigger_id", "")))
    except NotAnAdmin:
        _refuse(client, who)


def team_view_button(ack: Ack, body: Json, client: WebClient, services: Services) -> None:
    ack()
    who = person_of(body)
    try:
        numbers = services.admin.team(client, who)
    except NotAnAdmin:
        _refuse(client, who)
        return
    client.views_open(
        trigger_id=str(body.get("trigger_id", "")),
        view=team_modal(numbers, services.stretches.library(who)),
    )


def defaults_submitted(
    ack: Ack, body: Json, view: Json, client: WebClient, services: Services
) -> None:
    parsed = parse_defaults(mapping(view.get("state")).get("values"))
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    who = person_of(body)
    try:
        services.admin.save_defaults(client, who, parsed)
    except NotAnAdmin:
        ack(response_action="errors", errors={CAP_BLOCK: _(NOT_AN_ADMIN)})
        return
    ack()
    client.chat_postMessage(
        channel=who.user_id,
        text=_(
            ":white_check_mark: Workspace defaults saved. They apply to people who start "
            "using Stretch Break from now on; everyone else keeps their own settings."
        ),
    )
    services.home.refresh(client, who)


def _refuse(client: WebClient, who: SlackUser) -> None:
    """A Home tab button has no reply of its own: the refusal goes to the person's DM."""
    client.chat_postMessage(channel=who.user_id, text=_(NOT_AN_ADMIN))


def register(app: App) -> None:
    app.action(EDIT_WORKSPACE_DEFAULTS)(edit_defaults_button)
    app.action(OPEN_TEAM_VIEW)(team_view_button)
    app.view(DEFAULTS_CALLBACK)(defaults_submitted)
