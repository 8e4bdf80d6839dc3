"""What only a workspace's admins see: the Admin section of the App Home, the workspace
defaults modal, and the team view.

The section shows one line per thing an admin chose (`admin_lines`); a feature with a
workspace-wide choice of its own adds its line there, its inputs to `defaults_modal`'s blocks and
their reading to `bot.blocks.admin_form`.
"""

from __future__ import annotations

from datetime import time
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
from bot.domain.content import Library, localized
from bot.domain.holidays import HolidayChoice, HolidaySetting
from bot.domain.i18n import N_, _, format_clock, format_day, ngettext
from bot.domain.team_view import MIN_GROUP, TeamNumbers, shown, too_few
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

# In English; shown through `_`.
NOT_AN_ADMIN = N_(
    "Only admins and owners of this Slack workspace can do that. Nothing was changed."
)
# Where new people's exercises are done, as the Admin section names it.
PLACE_WORD = {"office": N_("office"), "home": N_("home")}


def admin_lines(defaults: WorkspaceDefaults) -> list[str]:
    """One line per workspace-wide choice, for the Home tab's Admin section."""
    prefs = defaults.new_people
    holidays = defaults.holidays
    return [
        ngettext(
            "New people start with: {pattern} in their own time zone, every {n} minute, {place}",
            "New people start with: {pattern} in their own time zone, every {n} minutes, {place}",
            prefs.interval_minutes,
            pattern=describe_pattern(prefs.work_pattern),
            place=_(PLACE_WORD[prefs.place]),
        ),
        _(
            "Public holidays: {region} (for everyone who has not chosen their own)",
            region=holidays.describe(),
        )
        if holidays
        else _("Public holidays: none (for everyone who has not chosen their own)"),
        _(
            "Challenges and group breaks may run in: {channels}",
            channels=channel_list(defaults.challenge_channels),
        ),
        _("Team library: everyone may add exercises")
        if defaults.everyone_adds_exercises
        else _("Team library: admins add"),
        ngettext(
            "At most {n} reminder a day for each person",
            "At most {n} reminders a day for each person",
            defaults.daily_nudge_cap,
        ),
    ]


def admin_section(lines: list[str]) -> list[Block]:
    return [
        DividerBlock(),
        section("\n".join([_("*Admin* — for this workspace"), *(f"• {line}" for line in lines)])),
        context(_("Changing a default never changes what someone chose in their own Settings.")),
        ActionsBlock(
            block_id="home_admin",
            elements=[
                button(_("Edit workspace defaults"), EDIT_WORKSPACE_DEFAULTS, "edit"),
                button(_("Team view"), OPEN_TEAM_VIEW, "team"),
            ],
        ),
    ]


def channel_list(channels: frozenset[str]) -> str:
    return ", ".join(f"<#{c}>" for c in sorted(channels)) if channels else _("any channel")


def defaults_modal(defaults: WorkspaceDefaults) -> dict[str, Any]:
    caps = {n: Option(value=str(n), label=str(n)) for n in NUDGE_CAP_CHOICES}
    everyone = Option(value=EVERYONE_ADDS, label=_("Everyone may add exercises, not only admins"))
    blocks: list[Block] = [
        section(
            _(
                "*For people who start using Stretch Break from now on.* Everyone keeps "
                "what they already have and can change theirs in Settings."
            )
        ),
        *work_blocks(defaults.new_people),
        DividerBlock(),
        *holiday_blocks(_holiday_setting(defaults), for_workspace=True),
        language_block(defaults.language, for_workspace=True),
        DividerBlock(),
        InputBlock(
            block_id=CHANNELS_BLOCK,
            label=_("Channels where challenges and group breaks may run"),
            optional=True,
            hint=_("Leave empty to allow any channel."),
            element=ConversationMultiSelectElement(
                action_id=CHANNELS_BLOCK,
                placeholder=_("Any channel"),
                initial_conversations=sorted(defaults.challenge_channels) or None,
                max_selected_items=MAX_CHALLENGE_CHANNELS,
                filter={"include": ["public", "private"], "exclude_bot_users": True},
            ),
        ),
        InputBlock(
            block_id=EVERYONE_ADDS_BLOCK,
            label=_("Team library"),
            optional=True,
            element=CheckboxesElement(
                action_id=EVERYONE_ADDS_BLOCK,
                options=[everyone],
                initial_options=[everyone] if defaults.everyone_adds_exercises else None,
            ),
        ),
        InputBlock(
            block_id=CAP_BLOCK,
            label=_("Most reminders a day, per person"),
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
        title=_("Workspace defaults"),
        submit=_("Save"),
        close=_("Cancel"),
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
        _(
            "• Week of {monday}: {breaks}",
            monday=format_day(week.monday),
            breaks=shown(week.breaks, week.people),
        )
        for week in numbers.weeks
    )
    hours = ", ".join(
        f"{format_clock(time(hour))} ({count})" for hour, count in numbers.busiest_hours
    )
    exercises = "\n".join(
        f"• {_title(library, exercise_id)}: {count}" for exercise_id, count in numbers.top_exercises
    )
    return [
        section(
            _(
                "*Reminders on:* {count}",
                count=shown(numbers.reminders_on, numbers.reminders_on),
            )
        ),
        section(_("*Breaks done per week* (weeks start Monday, UTC)") + f"\n{weeks}"),
        section(_("*Busiest hours* (people's local time)") + f"\n{hours or too_few()}"),
        section(_("*Most-done exercises*") + f"\n{exercises or too_few()}"),
        context(
            _(
                "Only totals for the whole workspace — nothing about anyone — and nothing for a "
                "group of fewer than {min_group} people.",
                min_group=MIN_GROUP,
            )
        ),
    ]


def team_modal(numbers: TeamNumbers, library: Library) -> dict[str, Any]:
    view = View(
        type="modal", title=_("Team view"), close=_("Close"), blocks=team_blocks(numbers, library)
    )
    return view.to_dict()


def team_message(numbers: TeamNumbers, library: Library) -> Message:
    return Message.build(_("Team view: this workspace's totals"), team_blocks(numbers, library))


def _title(library: Library, exercise_id: str) -> str:
    exercise = library.exercise(exercise_id)
    return localized(exercise).title if exercise else exercise_id
