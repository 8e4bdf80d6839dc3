"""What a card or nudge says after Done or Skip — with an Undo button for a minute — and what an
Undo puts back."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock

from bot.blocks.exercise import activity_card, exercise_card
from bot.blocks.message import ButtonValue, Message, button, context
from bot.blocks.nudge import nudge_message
from bot.domain.content import Exercise
from bot.domain.i18n import _
from bot.domain.undo import UNDO_WINDOW, Restored, stamp


def too_late() -> str:
    return _(
        "Too late to undo — that can be taken back for {seconds} seconds. Nothing was changed.",
        seconds=UNDO_WINDOW.seconds,
    )


def nothing_to_undo() -> str:
    return _("There is nothing of yours to undo there — it may have been undone already.")


def with_undo(answer: Message, action_id: str, value: ButtonValue) -> Message:
    """`answer` with an Undo button under it."""
    undo = ActionsBlock(block_id="undo", elements=[button(_("Undo"), action_id, value)])
    note = context(
        _("Clicked by mistake? Undo within {seconds} seconds.", seconds=UNDO_WINDOW.seconds)
    )
    return Message(answer.text, [*answer.blocks, undo.to_dict(), note.to_dict()])


def undo_done_value(card: str, source: str, done_at: datetime) -> ButtonValue:
    """Names the Done to take back: the person's own completion of `card`, recorded at
    `done_at` (the service looks it up under the clicker)."""
    return {"card": card, "source": source, "at": stamp(done_at)}


def undo_skip_value(nudge_id: int, skipped_at: datetime) -> ButtonValue:
    return {"nudge": nudge_id, "at": stamp(skipped_at)}


def restored_message(restored: Restored) -> Message:
    """The card or nudge as it was before the answer that was taken back, buttons and all."""
    activity = restored.activity
    if restored.nudge_id is None and isinstance(activity, Exercise):
        offer = restored.offer_reminders
        return exercise_card(activity, restored.card, restored.source, offer_reminders=offer)
    if restored.nudge_id is None:
        return activity_card(activity, restored.card, restored.source)
    return nudge_message(
        restored.nudge_id,
        activity,
        snoozed=restored.snoozed,
        backoff_interval=restored.backoff_interval,
    )
