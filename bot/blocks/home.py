"""The App Home tab: reminders and their buttons, progress, challenges, the library, commands.
Kept under Slack's 100-block limit whatever the history or the size of the library: at most
`LIBRARY_ROWS` + 9 blocks from the library and the commands, at most 12 about the person and
at most `MAX_PLANNED` + 4 about their days off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, DividerBlock

from bot.blocks.days_off import time_off_home_blocks
from bot.blocks.help import usage_lines
from bot.blocks.ids import LIBRARY_MANAGE, START_RANDOM
from bot.blocks.library import exercise_rows
from bot.blocks.message import WELLNESS_NOTE, button, context, header, section
from bot.blocks.reminders import local_time, reminder_buttons, schedule_sentence
from bot.blocks.rendered import ByIdentity, StoredBlocks
from bot.blocks.stats import progress_blocks
from bot.domain.challenges import ChallengeEntry
from bot.domain.content import Library
from bot.domain.days_off import DaysOffOverview
from bot.domain.i18n import _, cache_per_language
from bot.domain.progress import ProgressView
from bot.domain.reminders import ReminderStatus

LIBRARY_ROWS = 30


def home_view(
    library: Library,
    status: ReminderStatus | None,
    progress: ProgressView,
    challenges: list[ChallengeEntry],
    now: datetime,
    admin: list[Block] | None = None,
    days_off: DaysOffOverview | None = None,
) -> dict[str, Any]:
    """The view to publish, as `View(type="home", blocks=...).to_dict()` gives it. What does not
    depend on the person is rendered once per Library (see `bot.blocks.rendered`). ``admin``: the
    Admin section (`bot.blocks.admin`), for workspace admins only."""
    same_for_all = _same_for_all(ByIdentity(library))
    personal: list[Block] = [
        *reminder_blocks(status, now),
        *time_off_home_blocks(days_off),
        DividerBlock(),
        section(_("*Your progress*")),
        *progress_blocks(progress),
        *challenge_blocks(challenges),
        *(admin or []),
    ]
    blocks = [
        *same_for_all.top.fresh(),
        *(block.to_dict() for block in personal),
        *same_for_all.bottom.fresh(),
    ]
    return {"blocks": blocks, "type": "home"}


@dataclass(frozen=True)
class _SameForAll:
    top: StoredBlocks  # the title and what the app is for
    bottom: StoredBlocks  # the exercise library and the commands


# The seed Library, and one per workspace that changed its library (see WorkspaceLibraries), in
# each language: the commands, and the library's rows showing the exercises in that language.
@cache_per_language(64)
def _same_for_all(library: ByIdentity[Library]) -> _SameForAll:
    exercises = library.value.exercises
    top: list[Block] = [
        header(_("Stretch Break")),
        section(
            _(
                "Short movement breaks for people who sit all day — in your work hours, never "
                "in meetings."
            )
        ),
    ]
    bottom: list[Block] = [
        DividerBlock(),
        section(_("*Exercise library*")),
        *exercise_rows(exercises[:LIBRARY_ROWS]),
    ]
    if len(exercises) > LIBRARY_ROWS:
        more = len(exercises) - LIBRARY_ROWS
        bottom.append(context(_("…and {more} more: `/stretch list`", more=more)))
    bottom.append(
        ActionsBlock(
            block_id="home_library",
            elements=[button(_("Team library: add, edit, hide"), LIBRARY_MANAGE, "manage")],
        )
    )
    commands = _("*Commands*") + "\n" + usage_lines()
    bottom += [DividerBlock(), section(commands), context(_(WELLNESS_NOTE))]
    return _SameForAll(StoredBlocks.render(top), StoredBlocks.render(bottom))


def reminder_blocks(status: ReminderStatus | None, now: datetime) -> list[Block]:
    if status is None:
        text = _(
            "*Reminders are off.* Turn them on and I'll DM you a short break during your work "
            "hours, in your time zone — never in meetings or Do Not Disturb."
        )
    elif not status.on:
        text = _("*Reminders are off.* When on: {schedule}.", schedule=status.schedule)
    elif status.paused_until and status.paused_until > now:
        text = _(
            "*Reminders paused* until {until}. {schedule}",
            until=local_time(status.paused_until, status.tz, now),
            schedule=schedule_sentence(status, now),
        )
    else:
        text = _("*Reminders on.* {schedule}", schedule=schedule_sentence(status, now))
    buttons = [
        button(_("Start a stretch"), START_RANDOM, "start", style="primary"),
        *reminder_buttons(status),
    ]
    return [
        DividerBlock(),
        section(text),
        ActionsBlock(block_id="home_reminders", elements=buttons),
    ]


def challenge_blocks(challenges: list[ChallengeEntry]) -> list[Block]:
    if not challenges:
        return []
    lines = [
        f"• <#{c.channel_id}>" if c.active else _("• <#{channel}> (ended)", channel=c.channel_id)
        for c in challenges
    ]
    return [section("\n".join([_("*Your challenges*"), *lines]))]
