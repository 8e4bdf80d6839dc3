"""What only a workspace's admins see: the Admin section of the App Home, the workspace
defaults modal, and the team view.

The section shows one line per thing an admin chose (`admin_lines`); a feature with a
workspace-wide choice of its own adds its line there, its inputs to `defaults_modal`'s blocks and
their reading to `bot.blocks.admin_form`.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    CheckboxesElement,
    ConversationMultiSelectElement,
    DividerBlock,
    InputBlock,
    Option,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.holiday_settings import holiday_blocks
from bot.blocks.ids import EDIT_WORKSPACE_DEFAULTS, OPEN_TEAM_VIEW
from bot.blocks.language_settings import language_block
from bot.blocks.message import Message, button, context, section
from bot.blocks.settings import work_blocks
from bot.domain.content import Library
from bot.domain.holidays import HolidayChoice, HolidaySetting
from bot.domain.team_view import MIN_GROUP, TOO_FEW, TeamNumbers, shown
from bot.domain.work_pattern import describe_pattern
from bot.domain.workspace_defaults import (
    MAX_CHALLENGE_CHANNELS,
    NUDGE_CAP_CHOICES,
    WorkspaceDefaults,
)

DEFAULTS_CALLBACK = "admin_defaults_submit"
CHANNELS_BLOCK = "challenge_channels"
CAP_BLOCK = "daily_nudge_cap"
EVERYONE_ADDS_BLOCK = "everyone_adds_exercises"
EVERYONE_ADDS = "everyone"

NOT_AN_ADMIN = "Only admins and owners of this Slack workspace can do that. Nothing was changed."


def admin_lines(defaults: WorkspaceDefaults) -> list[str]:
    """One line per workspace-wide choice, for the Home tab's Admin section."""
    prefs = defaults.new_people
    holidays = defaults.holidays
    return [
        f"New people start with: {describe_pattern(prefs.work_pattern)} in their own time zone, "
        f"every {prefs.interval_minutes} minutes, {prefs.place}",
        "Public holidays: "
        + (holidays.describe() if holidays else "none")
        + " (for everyone who has not chosen their own)",
        "Challenges and group breaks may run in: " + channel_list(defaults.challenge_channels),
        "Team library: "
        + ("everyone may add exercises" if defaults.everyone_adds_exercises else "admins add"),
        f"At most {defaults.daily_nudge_cap} reminders a day for each person",
    ]


def admin_section(lines: list[str]) -> list[Block]:
    return [
        DividerBlock(),
        section("*Admin* — for this workspace\n" + "\n".join(f"• {line}" for line in lines)),
        context("Changing a default never changes what someone chose in their own Settings."),
        ActionsBlock(
            block_id="home_admin",
            elements=[
                button("Edit workspace defaults", EDIT_WORKSPACE_DEFAULTS, "edit"),
                button("Team view", OPEN_TEAM_VIEW, "team"),
            ],
        ),
    ]


def channel_list(channels: frozenset[str]) -> str:
    return ", ".join(f"<#{c}>" for c in sorted(channels)) if channels else "any channel"


def defaults_modal(defaults: WorkspaceDefaults) -> dict[str, Any]:
    caps = {n: Option(value=str(n), label=str(n)) for n in NUDGE_CAP_CHOICES}
    everyone = Option(value=EVERYONE_ADDS, label="Everyone may add exercises, not only admins")
    blocks: list[Block] = [
        section(
            "*For people who start using Stretch Break from now on.* Everyone keeps "
            "what they already have and can change theirs in Settings."
        ),
        *work_blocks(defaults.new_people),
        DividerBlock(),
        *holiday_blocks(_holiday_setting(defaults), for_workspace=True),
        language_block(defaults.language, for_workspace=True),
        DividerBlock(),
        InputBlock(
            block_id=CHANNELS_BLOCK,
            label="Channels where challenges and group breaks may run",
            optional=True,
            hint="Leave empty to allow any channel.",
            element=ConversationMultiSelectElement(
                action_id=CHANNELS_BLOCK,
                placeholder="Any channel",
                initial_conversations=sorted(defaults.challenge_channels) or None,
                max_selected_items=MAX_CHALLENGE_CHANNELS,
                filter={"include": ["public", "private"], "exclude_bot_users": True},
            ),
        ),
        InputBlock(
            block_id=EVERYONE_ADDS_BLOCK,
            label="Team library",
            optional=True,
            element=CheckboxesElement(
                action_id=EVERYONE_ADDS_BLOCK,
                options=[everyone],
                initial_options=[everyone] if defaults.everyone_adds_exercises else None,
            ),
        ),
        InputBlock(
            block_id=CAP_BLOCK,
            label="Most reminders a day, per person",
            element=StaticSelectElement(
                action_id=CAP_BLOCK,
                options=list(caps.values()),
                initial_option=caps.get(defaults.daily_nudge_cap),
            ),
        ),
    ]
    view = View(
        type="modal",
        callback_id=DEFAULTS_CALLBACK,
        title="Workspace defaults",
        submit="Save",
        close="Cancel",
        blocks=blocks,
    )
    return view.to_dict()


def _holiday_setting(defaults: WorkspaceDefaults) -> HolidaySetting:
    """The workspace default shown as the choice in the holiday inputs."""
    region = defaults.holidays
    own = HolidayChoice(region.country, region.subdivision) if region else HolidayChoice()
    return HolidaySetting(own, None)


def team_blocks(numbers: TeamNumbers, library: Library) -> list[Block]:
    weeks = "\n".join(
        f"• Week of {week.monday:%b %d}: {shown(week.breaks, week.people)}"
        for week in numbers.weeks
    )
    hours = ", ".join(f"{hour:02d}:00 ({count})" for hour, count in numbers.busiest_hours)
    exercises = "\n".join(
        f"• {_title(library, exercise_id)}: {count}" for exercise_id, count in numbers.top_exercises
    )
    return [
        section(f"*Reminders on:* {shown(numbers.reminders_on, numbers.reminders_on)}"),
        section(f"*Breaks done per week* (weeks start Monday, UTC)\n{weeks}"),
        section(f"*Busiest hours* (people's local time)\n{hours or TOO_FEW}"),
        section(f"*Most-done exercises*\n{exercises or TOO_FEW}"),
        context(
            f"Only totals for the whole workspace — nothing about anyone — and nothing for a "
            f"group of fewer than {MIN_GROUP} people."
        ),
    ]


def team_modal(numbers: TeamNumbers, library: Library) -> dict[str, Any]:
    view = View(
        type="modal", title="Team view", close="Close", blocks=team_blocks(numbers, library)
    )
    return view.to_dict()


def team_message(numbers: TeamNumbers, library: Library) -> Message:
    return Message.build("Team view: this workspace's totals", team_blocks(numbers, library))


def _title(library: Library, exercise_id: str) -> str:
    exercise = library.exercise(exercise_id)
    return exercise.title if exercise else exercise_id
