"""Forgetting someone: the confirmation, and the answer once it is done."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock

from bot.blocks.ids import FORGET_ME
from bot.blocks.message import Message, button, notice, section
from bot.domain.i18n import _


def forget_confirmation() -> Message:
    text = _(
        "This deletes everything Stretch Break stores about you — settings, reminders, "
        "every Done, streaks and challenge days — and stops your reminders. Exercises you "
        "added to the team library stay for your team, credited to a former member. It "
        "can't be undone."
    )
    return Message.build(
        text,
        [
            section(f":warning: {text}"),
            ActionsBlock(
                block_id="forget_me",
                elements=[button(_("Delete my data"), FORGET_ME, "confirm", style="danger")],
            ),
        ],
    )


def forgotten(found: bool) -> Message:
    if not found:
        return notice(_("I had nothing stored about you. Nothing to delete."))
    return notice(
        _(
            ":wastebasket: Done — everything I stored about you is deleted and your "
            "reminders are off. `/stretch` still works whenever you like."
        )
    )
