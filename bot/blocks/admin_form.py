"""Reading the workspace defaults modal back into `WorkspaceDefaults`, or into errors to show on
its fields (``{block_id: message}``). Untrusted like any submission: anything missing or
mistyped is an error on its block, never an exception.

Each weekday's hours, interval and place are the Settings modal's inputs, so they are read by the
Settings reader itself, with the person-only fields (lunch, zone, summary) left unanswered; the
public holidays are read by the Settings reader of holidays (`bot.blocks.holiday_settings`).
"""

from __future__ import annotations

import re
from typing import Any

from bot.blocks.admin import CAP_BLOCK, CHANNELS_BLOCK, EVERYONE_ADDS, EVERYONE_ADDS_BLOCK
from bot.blocks.holiday_settings import HOLIDAY_COUNTRY_BLOCK, read_holiday_choice
from bot.blocks.language_settings import read_language
from bot.blocks.settings import LUNCH_END_BLOCK, LUNCH_START_BLOCK, SUMMARY_BLOCK, TZ_BLOCK
from bot.blocks.settings_form import Errors, parse_submission
from bot.domain.holidays import OWN_CHOICE_NONE, HolidayChoice, HolidayRegion
from bot.domain.i18n import _
from bot.domain.preferences import Preferences
from bot.domain.workspace_defaults import (
    MAX_CHALLENGE_CHANNELS,
    NUDGE_CAP_CHOICES,
    WorkspaceDefaults,
)

_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,31}")
_PERSONAL_ONLY = {
    LUNCH_START_BLOCK: {"selected_time": None},
    LUNCH_END_BLOCK: {"selected_time": None},
    TZ_BLOCK: {"value": None},
    SUMMARY_BLOCK: {"selected_options": []},
}


def cap_prompt() -> str:
    return _(
        "Choose a number from {low} to {high}.",
        low=NUDGE_CAP_CHOICES[0],
        high=NUDGE_CAP_CHOICES[-1],
    )


def channels_prompt() -> str:
    return _("Choose up to {most} channels, or none for any channel.", most=MAX_CHALLENGE_CHANNELS)


def parse_defaults(state_values: Any) -> WorkspaceDefaults | Errors:
    values = state_values if isinstance(state_values, dict) else {}
    personal = {block: {block: action} for block, action in _PERSONAL_ONLY.items()}
    new_people = parse_submission({**values, **personal})
    errors = {} if isinstance(new_people, Preferences) else dict(new_people)
    cap = _read_cap(_action(values, CAP_BLOCK))
    if cap is None:
        errors[CAP_BLOCK] = cap_prompt()
    channels = _read_channels(_action(values, CHANNELS_BLOCK))
    if channels is None:
        errors[CHANNELS_BLOCK] = channels_prompt()
    holidays = _read_holidays(values)
    if isinstance(holidays, dict):
        errors |= holidays
    everyone_adds = _read_everyone_adds(_action(values, EVERYONE_ADDS_BLOCK))
    if everyone_adds is None:
        errors[EVERYONE_ADDS_BLOCK] = _("Tick the box, or leave it empty for admins only.")
    language = read_language(values, for_workspace=True)
    if isinstance(language, dict):
        errors |= language
    if errors or not isinstance(new_people, Preferences) or cap is None or channels is None:
        return errors
    assert not isinstance(holidays, dict) and everyone_adds is not None
    return WorkspaceDefaults(new_people, cap, channels, holidays, everyone_adds, language)


def _read_everyone_adds(action: Any) -> bool | None:
    """Whether the box is ticked; None for an answer the modal could not have sent."""
    if action is None:
        return False
    chosen = action.get("selected_options") if isinstance(action, dict) else None
    if not isinstance(chosen, list):
        return None
    values = [option.get("value") if isinstance(option, dict) else None for option in chosen]
    if any(value != EVERYONE_ADDS for value in values):
        return None
    return bool(values)


def _read_holidays(values: dict[Any, Any]) -> HolidayRegion | Errors | None:
    """The workspace's country and region; "workspace default" is no answer here (a forged
    submission: the modal does not offer it)."""
    choice = read_holiday_choice(values)
    if not isinstance(choice, HolidayChoice):
        return choice
    if choice.country is None:
        return {HOLIDAY_COUNTRY_BLOCK: _("Choose a country, or no public holidays.")}
    if choice.country == OWN_CHOICE_NONE:
        return None
    return HolidayRegion(choice.country, choice.subdivision)


def _action(values: dict[Any, Any], block_id: str) -> Any:
    block = values.get(block_id)
    return block.get(block_id) if isinstance(block, dict) else None


def _read_cap(action: Any) -> int | None:
    option = action.get("selected_option") if isinstance(action, dict) else None
    value = option.get("value") if isinstance(option, dict) else None
    if not isinstance(value, str) or not value.isdigit() or int(value) not in NUDGE_CAP_CHOICES:
        return None
    return int(value)


def _read_channels(action: Any) -> frozenset[str] | None:
    """The chosen channel ids; an unanswered optional input reads as none chosen."""
    if action is None:
        return frozenset()
    chosen = action.get("selected_conversations") if isinstance(action, dict) else None
    if chosen is None:
        return frozenset()
    if not isinstance(chosen, list) or len(chosen) > MAX_CHALLENGE_CHANNELS:
        return None
    if not all(isinstance(c, str) and _CHANNEL_ID.fullmatch(c) for c in chosen):
        return None
    return frozenset(chosen)
