"""The Settings modal: one input block per preference, filled in with the current choices.

Each input's ``action_id`` equals its ``block_id``, so a submission's value for, say, the interval
is at ``view["state"]["values"][INTERVAL_BLOCK][INTERVAL_BLOCK]``. The work hours rows come from
`bot.blocks.work_hours`. `bot.blocks.settings_form` reads a
submission back; the two modules share the block ids and option values defined here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    InputInteractiveElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.blocks.work_hours import hours_inputs
from bot.domain.i18n import N_, _, ngettext
from bot.domain.preferences import Place, Preferences
from bot.domain.schedule import INTERVAL_CHOICES

SETTINGS_CALLBACK = "settings_submit"

INTERVAL_BLOCK = "interval"
PLACE_BLOCK = "place"
LUNCH_START_BLOCK = "lunch_start"
LUNCH_END_BLOCK = "lunch_end"
TZ_BLOCK = "tz_override"
SUMMARY_BLOCK = "weekly_summary"

SUMMARY_ON = "on"
TZ_MAX_LENGTH = 64  # the longest IANA name, America/Argentina/ComodRivadavia, has 32 characters

_PLACE_LABELS: dict[Place, str] = {
    "office": N_("Office — desk and chair exercises"),
    "home": N_("Home — mat exercises too"),
}


def settings_modal(
    prefs: Preferences, profile_tz: str, more: Sequence[Block] = ()
) -> dict[str, Any]:
    """The modal view for `views.open`, showing ``prefs`` as the initial values, then ``more``
    (other features' inputs, e.g. what suits the person: `bot.blocks.fit`)."""
    blocks = [
        *work_blocks(prefs),
        _optional(
            LUNCH_START_BLOCK,
            _("Lunch break starts"),
            _time_element(prefs.lunch_start),
            hint=_("No reminders during lunch, on every work day. Leave both empty to skip."),
        ),
        _optional(LUNCH_END_BLOCK, _("Lunch break ends"), _time_element(prefs.lunch_end)),
        _optional(
            TZ_BLOCK,
            _("Time zone"),
            _tz_element(prefs.tz_override),
            hint=_("Leave empty to follow your Slack profile (currently {zone}).", zone=profile_tz),
        ),
        _optional(SUMMARY_BLOCK, _("Weekly summary"), _summary_element(prefs.weekly_summary)),
        *more,
    ]
    view = View(
        type="modal",
        callback_id=SETTINGS_CALLBACK,
        title=_("Stretch settings"),
        submit=_("Save"),
        close=_("Cancel"),
        blocks=blocks,
    )
    return view.to_dict()


def work_blocks(prefs: Preferences) -> list[InputBlock]:
    """The inputs for each weekday's work hours, interval and place: the Settings modal's, and the
    workspace defaults' (`bot.blocks.admin`), read back by the same reader."""
    return [
        *hours_inputs(prefs.work_pattern),
        _input(INTERVAL_BLOCK, _("Remind me every"), _interval_element(prefs.interval_minutes)),
        _input(PLACE_BLOCK, _("Where do you work?"), _place_element(prefs.place)),
    ]


def _input(block_id: str, label: str, element: InputInteractiveElement) -> InputBlock:
    element.action_id = block_id
    return InputBlock(block_id=block_id, label=label, element=element)


def _optional(
    block_id: str, label: str, element: InputInteractiveElement, *, hint: str | None = None
) -> InputBlock:
    element.action_id = block_id
    return InputBlock(block_id=block_id, label=label, element=element, hint=hint, optional=True)


def _time_element(initial: time | None) -> TimePickerElement:
    return TimePickerElement(
        placeholder=_("Choose a time"), initial_time=initial.strftime("%H:%M") if initial else None
    )


def _interval_element(current: int) -> StaticSelectElement:
    options = {
        n: Option(value=str(n), label=ngettext("{n} minute", "{n} minutes", n))
        for n in INTERVAL_CHOICES
    }
    return StaticSelectElement(
        placeholder=_("Choose"), options=list(options.values()), initial_option=options.get(current)
    )


def _place_element(current: Place) -> RadioButtonsElement:
    options = {place: Option(value=place, label=_(label)) for place, label in _PLACE_LABELS.items()}
    return RadioButtonsElement(options=list(options.values()), initial_option=options.get(current))


def _tz_element(tz_override: str | None) -> PlainTextInputElement:
    return PlainTextInputElement(
        placeholder="Europe/Berlin", initial_value=tz_override, max_length=TZ_MAX_LENGTH
    )


def _summary_element(weekly_summary: bool) -> CheckboxesElement:
    option = Option(value=SUMMARY_ON, label=_("Send me a weekly summary"))
    return CheckboxesElement(options=[option], initial_options=[option] if weekly_summary else None)
