"""A nudge's "I moved anyway": the person took a break without the bot, for this nudge's slot.
(`/stretch did <what>`, the same by command, is in `bot.listeners.commands`.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.ids import MOVED_ANYWAY, UNDO_DONE
from bot.blocks.self_reports import self_report_message
from bot.blocks.undo import undo_done_value, with_undo
from bot.domain.cards import nudge_card
from bot.domain.self_reports import SELF_REPORTED
from bot.listeners.card_buttons import say_stale
from bot.listeners.identity import person_of
from bot.listeners.payloads import Json, button_id

if TYPE_CHECKING:
    from bot.services.container import Services


def moved_anyway(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    ack()
    who, nudge = person_of(body), button_id(action, "nudge")
    report = services.self_reports.moved_anyway(who, nudge)
    if report is None:  # not theirs, or answered otherwise already
        say_stale(respond)
        return
    undo = undo_done_value(nudge_card(nudge), SELF_REPORTED, report.completed_at)
    answer = with_undo(self_report_message(report.what, report.done_today), UNDO_DONE, undo)
    respond(replace_original=True, **answer.as_kwargs())
    services.home.refresh(client, who)


def register(app: App) -> None:
    app.action(MOVED_ANYWAY)(moved_anyway)
