"""One person's reminder preferences, as chosen in the Settings modal.

`Preferences` is what gets stored; `Preferences.schedule` turns it into the `WorkSchedule` that the
scheduling math runs on, once the person's Slack profile zone and stable offset are known.
Work days are written as text like ``"mon,tue,wed,thu,fri"`` in workspace defaults
(`parse_days` / `format_days`), which with the default hours make a `WorkPattern`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time
from typing import Literal, get_args

from bot.domain.i18n import _
from bot.domain.schedule import WorkSchedule
from bot.domain.work_pattern import WorkPattern
from bot.domain.zones import WEEKDAY_ABBREVIATIONS, WEEKDAY_NAMES

Place = Literal["office", "home"]
PLACES: tuple[Place, ...] = get_args(Place)

DAY_NAMES = tuple(name.lower() for name in WEEKDAY_ABBREVIATIONS)  # "mon" … "sun", as typed
_FULL_DAY_NAMES = tuple(name.lower() for name in WEEKDAY_NAMES)
_DAYS_BY_NAME = {
    name: day for names in (DAY_NAMES, _FULL_DAY_NAMES) for day, name in enumerate(names)
}


@dataclass(frozen=True)
class Preferences:
    """When and how someone wants stretch reminders.

    ``work_pattern`` holds the hours of each weekday. ``tz_override`` is an IANA zone name, or None
    to follow the time zone of the person's Slack profile.
    """

    work_pattern: WorkPattern
    interval_minutes: int
    place: Place
    lunch_start: time | None = None
    lunch_end: time | None = None
    tz_override: str | None = None
    weekly_summary: bool = False

    def schedule(self, tz: str, offset_seconds: int) -> WorkSchedule:
        """The schedule in ``tz_override`` if set, else in ``tz`` (the Slack profile's zone).

        Raises ValueError when the preferences themselves are invalid (see
        `bot.blocks.settings_form.parse_submission`, which only lets valid ones through). A day
        barely longer than the interval may hold no slot once shifted by ``offset_seconds``
        (09:00–10:30 every 60 minutes, shifted by 45): then the schedule is returned unshifted,
        since spreading the load is never worth losing every reminder.
        """
        unshifted = WorkSchedule(
            tz=self.tz_override or tz,
            pattern=self.work_pattern,
            interval_minutes=self.interval_minutes,
            lunch_start=self.lunch_start,
            lunch_end=self.lunch_end,
        )
        try:
            return replace(unshifted, offset_seconds=offset_seconds)
        except ValueError:
            if not 0 <= offset_seconds < self.interval_minutes * 60:
                raise
            return unshifted


def parse_days(text: str) -> frozenset[int]:
    """Weekday numbers from comma-separated names: ``"mon,tue,wed"`` or ``"Monday, Friday"``."""
    if not text.strip():
        raise ValueError(
            _("Give at least one work day, e.g. {example}.", example=",".join(DAY_NAMES[:5]))
        )
    names = [name.strip().lower() for name in text.split(",")]
    unknown = [name for name in names if name not in _DAYS_BY_NAME]
    if unknown:
        raise ValueError(
            _(
                "Unknown day name(s) {unknown} in {text}: use {names} (or full names), "
                "separated by commas.",
                unknown=", ".join(map(repr, unknown)),
                text=repr(text),
                names=",".join(DAY_NAMES),
            )
        )
    return frozenset(_DAYS_BY_NAME[name] for name in names)


def format_days(days: frozenset[int]) -> str:
    """The inverse of `parse_days`: ``frozenset({0, 1, 2})`` → ``"mon,tue,wed"``."""
    return ",".join(DAY_NAMES[day] for day in sorted(days))
