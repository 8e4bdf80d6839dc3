"""Group breaks: `@Stretch Break stretch` (an `app_mention` in a channel or thread), and the
I'm in and Done buttons. `/stretch together` is read with the other subcommands
(`bot.listeners.commands`). Answers go to the asker or clicker alone; the channel sees only the
invitation and its count change."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.group_break import group_break_answer, mention_usage
from bot.blocks.ids import GROUP_BREAK_DONE, GROUP_BREAK_JOIN
from bot.domain.group_breaks import Counted, GroupBreakOutcome, mention_request
from bot.domain.people import SlackProfile, SlackUser
from bot.listeners.identity import channel_of, clicker
from bot.listeners.payloads import Json, button_id, text
from bot.slack.group_breaks import answer_privately
from bot.slack.profiles import profile_of

if TYPE_CHECKING:
    from bot.services.container import Services


def mentioned(event: Json, body: Json, client: WebClient, services: Services) -> None:
    """`@Stretch Break stretch [now | in N]`; any other mention gets the usage, privately."""
    user, channel = text(event.get("user")), text(event.get("channel"))
    if not user or not channel:
        return
    thread_ts = text(event.get("thread_ts")) or None
    args = mention_request(text(event.get("text")))
    if args is None:
        answer_privately(client, channel, user, mention_usage(), thread_ts)
        return
    who = SlackUser(team_id=text(event.get("team")) or text(body.get("team_id")), user_id=user)
    outcome = services.group_breaks.start(
        who,
        channel,
        args,
        profile_of(client, user),
        client,
        thread_ts=thread_ts,
        requested_in=text(event.get("ts")) or None,
    )
    answer = group_break_answer(outcome)
    if answer is not None:
        answer_privately(client, channel, user, answer, thread_ts)


def join(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    _click(ack, body, respond, client, services.group_breaks.join, button_id(action, "break"))


def done(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    who, outcome = _click(
        ack, body, respond, client, services.group_breaks.done, button_id(action, "break")
    )
    if isinstance(outcome, Counted) and not outcome.already_counted:
        services.home.refresh(client, who)  # streaks and totals changed


def _click(
    ack: Ack,
    body: Json,
    respond: Respond,
    client: WebClient,
    use_case: Callable[[SlackUser, str, int, SlackProfile, WebClient], GroupBreakOutcome],
    group_break_id: int,
) -> tuple[SlackUser, GroupBreakOutcome]:
    """Ack; then the use case, for the clicker, on the group break the button names (checked
    against the channel the click came from there); then the answer, to the clicker alone.
    Returns the clicker and what happened."""
    ack()
    who, profile = clicker(body, client)
    outcome = use_case(who, channel_of(body), group_break_id, profile, client)
    answer = group_break_answer(outcome)
    if answer is not None:
        respond(replace_original=False, response_type="ephemeral", **answer.as_kwargs())
    return who, outcome


def register(app: App) -> None:
    app.event("app_mention")(mentioned)
    app.action(GROUP_BREAK_JOIN)(join)
    app.action(GROUP_BREAK_DONE)(done)
