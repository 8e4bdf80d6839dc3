"""Reading a Settings modal submission back into `Preferences`, or into errors to show.

`parse_submission` takes ``view["state"]["values"]`` as Slack sends it and returns either valid
`Preferences` or ``{block_id: message}`` for ``ack(response_action="errors", errors=...)``.
Valid means `Preferences.schedule` works: a listener can save the result without another check.

The payload is untrusted input: anything missing, mistyped or unknown (a tampered request) reads
as an unanswered field and gets an error on its block, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from bot.blocks.settings import (
    INTERVAL_BLOCK,
    LUNCH_END_BLOCK,
    LUNCH_START_BLOCK,
    PLACE_BLOCK,
    SUMMARY_BLOCK,
    SUMMARY_ON,
    TZ_BLOCK,
)
from bot.blocks.work_hours import read_hours
from bot.domain.i18n import N_, _, format_clock, ngettext
from bot.domain.preferences import PLACES, Preferences
from bot.domain.schedule import INTERVAL_CHOICES

Errors = dict[str, str]

_HHMM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
_INTERVALS = {str(minutes): minutes for minutes in INTERVAL_CHOICES}
# In the tz database but no one's time zone: the server's own, and a placeholder for "unknown".
_NOT_PLACES = frozenset({"localtime", "Factory"})


class _Invalid(Exception):
    """A field is unanswered or unreadable: its block gets the field's prompt as the error."""


def parse_submission(state_values: Any) -> Preferences | Errors:
    """Valid `Preferences` from a view_submission's state values, or errors keyed by block_id."""
    values = state_values if isinstance(state_values, dict) else {}
    fields, errors = _read_fields(values)
    hours = read_hours(values)
    if isinstance(hours, dict):
        errors |= hours
    else:
        fields["work_pattern"] = hours
    errors |= _lunch_errors(fields)
    if errors:
        return errors
    prefs = Preferences(**fields)
    return _fit_errors(prefs) or prefs


def canonical_time_zone(text: str) -> str | None:
    """The IANA name for ``text``, ignoring case and surrounding spaces, or None if unknown."""
    return _zones_by_folded_name().get(text.strip().casefold())


# --- reading single fields ---------------------------------------------------------------------


def _read_fields(values: dict[Any, Any]) -> tuple[dict[str, Any], Errors]:
    fields, errors = {}, {}
    for block_id, (name, read, prompt) in _FIELDS.items():
        block = values.get(block_id)
        action = block.get(block_id) if isinstance(block, dict) else None
        try:
            fields[name] = read(action)
        except _Invalid:
            errors[block_id] = _(prompt, choices=_INTERVAL_CHOICES_TEXT)
    return fields, errors


def _read_time(action: Any) -> time | None:
    text = _get(action, "selected_time")
    if text is None:
        return None
    match = _HHMM.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise _Invalid
    return time(int(match[1]), int(match[2]))


def _read_interval(action: Any) -> int:
    return _lookup(_INTERVALS, _selected_value(action))


def _read_place(action: Any) -> str:
    place = _selected_value(action)
    if place not in PLACES:
        raise _Invalid
    return place


def _read_tz(action: Any) -> str | None:
    text = _get(action, "value")
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    zone = canonical_time_zone(text) if isinstance(text, str) else None
    if zone is None:
        raise _Invalid
    return zone


def _read_summary(action: Any) -> bool:
    chosen = _selected_values(action)
    if chosen not in ([], [SUMMARY_ON]):
        raise _Invalid
    return bool(chosen)


_INTERVAL_CHOICES_TEXT = ", ".join(map(str, INTERVAL_CHOICES))
# Each field's name, reader and prompt; the prompts are translated where shown, `{choices}` filled
# with _INTERVAL_CHOICES_TEXT.
_FIELDS: dict[str, tuple[str, Callable[[Any], Any], str]] = {
    INTERVAL_BLOCK: ("interval_minutes", _read_interval, N_("Choose one of {choices} minutes.")),
    PLACE_BLOCK: ("place", _read_place, N_("Choose office or home.")),
    LUNCH_START_BLOCK: ("lunch_start", _read_time, N_("Choose a time, or leave it empty.")),
    LUNCH_END_BLOCK: ("lunch_end", _read_time, N_("Choose a time, or leave it empty.")),
    TZ_BLOCK: (
        "tz_override",
        _read_tz,
        N_(
            "Unknown time zone: use a name like Europe/Berlin or America/New_York, "
            "or leave it empty."
        ),
    ),
    SUMMARY_BLOCK: ("weekly_summary", _read_summary, N_("Tick the box or leave it empty.")),
}


# --- checks across fields ----------------------------------------------------------------------


def _lunch_errors(fields: dict[str, Any]) -> Errors:
    if "lunch_start" not in fields or "lunch_end" not in fields:
        return {}  # already reported as unreadable
    lunch_start, lunch_end = fields["lunch_start"], fields["lunch_end"]
    if lunch_start is None and lunch_end is None:
        return {}
    if lunch_start is None:
        return {LUNCH_START_BLOCK: _("Choose when lunch starts too, or clear the lunch end.")}
    if lunch_end is None:
        return {LUNCH_END_BLOCK: _("Choose when lunch ends too, or clear the lunch start.")}
    if lunch_end <= lunch_start:
        return {
            LUNCH_END_BLOCK: _(
                "Lunch must end after it starts ({time}).", time=format_clock(lunch_start)
            )
        }
    return {}


def _fit_errors(prefs: Preferences) -> Errors:
    """An error unless at least one reminder fits in the day, outside lunch."""
    try:
        prefs.schedule("UTC", offset_seconds=0)
    except ValueError:
        return {INTERVAL_BLOCK: _no_fit_message(prefs)}
    return {}


def _no_fit_message(prefs: Preferences) -> str:
    return ngettext(
        "No reminder every minute fits in your work hours outside "
        "lunch: choose a shorter interval, longer hours or a different lunch.",
        "No reminder every {n} minutes fits in your work hours outside "
        "lunch: choose a shorter interval, longer hours or a different lunch.",
        prefs.interval_minutes,
    )


# --- small helpers -----------------------------------------------------------------------------


def _get(action: Any, key: str) -> Any:
    if not isinstance(action, dict):
        raise _Invalid
    return action.get(key)


def _selected_value(action: Any) -> str:
    option = _get(action, "selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    if not isinstance(value, str):
        raise _Invalid
    return value


def _selected_values(action: Any) -> list[str]:
    options = _get(action, "selected_options")
    if not isinstance(options, list):
        raise _Invalid
    values = [option.get("value") if isinstance(option, dict) else None for option in options]
    if not all(isinstance(value, str) for value in values):
        raise _Invalid
    return values


def _lookup(choices: dict[str, Any], value: str) -> Any:
    if value not in choices:
        raise _Invalid
    return choices[value]


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {zone.casefold(): zone for zone in available_timezones() - _NOT_PLACES}
