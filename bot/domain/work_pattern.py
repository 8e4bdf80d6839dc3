"""A person's working week: on each weekday, up to three windows of work hours.

Split shifts are several windows in a day (07:00–11:00 and 15:00–19:00). A window whose end is
not after its start crosses midnight: a night shift 22:00–06:00 belongs to the day it starts, so
its slots, lunch and daily cap count for that day. Windows are wall-clock times with no zone:
`bot.domain.schedule` places them on the person's own clock.

Positions inside a work day are seconds from the day's midnight, so a crossing window runs past
86,400 (22:00–06:00 is 79,200 to 108,000). Windows must not overlap: neither those of one day, nor
a crossing window with the next day's first (Sunday's night shift runs into Monday).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from itertools import pairwise

from bot.domain.i18n import N_, _, format_clock, ngettext, weekday_names

MAX_WINDOWS_PER_DAY = 3
DAY_SECONDS = 24 * 3600
_RUN_LABELS = {(0, 6): N_("Every day"), (0, 4): N_("Weekdays")}


class WorkPatternError(ValueError):
    """A pattern that cannot be: the message is for the person; ``weekday`` (0 = Monday) names
    the day it is about, when there is one."""

    def __init__(self, message: str, weekday: int | None = None) -> None:
        super().__init__(message)
        self.weekday = weekday


@dataclass(frozen=True, order=True)
class Window:
    """Work hours from ``start`` to ``end``, wall-clock; across midnight when ``end <= start``
    (an end of 00:00 means midnight, the end of the day)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        for name, value in (("start", self.start), ("end", self.end)):
            if not isinstance(value, time) or value.tzinfo is not None or value.microsecond:
                raise WorkPatternError(
                    f"A window's {name} must be a wall-clock time like 09:00, got {value!r}."
                )
        if self.start == self.end:
            raise WorkPatternError(_("The window {window} has no length.", window=self))

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    @property
    def start_seconds(self) -> int:
        return seconds_of(self.start)

    @property
    def end_seconds(self) -> int:
        """Seconds from the start day's midnight: past 86,400 for a window that crosses it."""
        return seconds_of(self.end) + (DAY_SECONDS if self.crosses_midnight else 0)

    def contains(self, position: int) -> bool:
        """Whether ``position`` (seconds from the start day's midnight) is inside, end excluded."""
        return self.start_seconds <= position < self.end_seconds

    def __str__(self) -> str:
        """The window as a person reads it, in the language being spoken: 09:00–17:00."""
        return f"{clock_text(self.start)}\N{EN DASH}{clock_text(self.end)}"


@dataclass(frozen=True)
class WorkPattern:
    """Windows for each weekday, Monday first; a day without windows is a day off."""

    days: tuple[tuple[Window, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise WorkPatternError(f"A week has 7 days, got {len(self.days)}.")
        days = tuple(tuple(sorted(windows)) for windows in self.days)
        object.__setattr__(self, "days", days)
        for weekday, windows in enumerate(days):
            _check_day(weekday, windows)
        for weekday, windows in enumerate(days):
            _check_night_into_next_day(weekday, windows, days[(weekday + 1) % 7])
        if not any(days):
            raise WorkPatternError(_("Give work hours for at least one day."))

    @classmethod
    def every(cls, work_days: Iterable[int], start: time, end: time) -> WorkPattern:
        """The same one window on each of ``work_days`` (0 = Monday): the old single-window
        setting, and the workspace defaults."""
        chosen = frozenset(work_days)
        return cls(tuple((Window(start, end),) if day in chosen else () for day in range(7)))

    @property
    def work_days(self) -> frozenset[int]:
        """Weekdays with at least one window."""
        return frozenset(day for day, windows in enumerate(self.days) if windows)

    def day_end_seconds(self, weekday: int) -> int:
        """When the day's last window ends, in seconds from its midnight (past 86,400 when it
        crosses midnight); only for a work day."""
        return self.days[weekday][-1].end_seconds


def seconds_of(wall: time) -> int:
    return wall.hour * 3600 + wall.minute * 60 + wall.second


def hhmm(wall: time) -> str:
    return wall.strftime("%H:%M:%S" if wall.second else "%H:%M")


def clock_text(wall: time) -> str:
    """A wall time as a person reads it (the locale's own clock), to the second if it has any."""
    return hhmm(wall) if wall.second else format_clock(wall)


def format_windows(windows: Iterable[Window], *, separator: str = ", ") -> str:
    """``"09:00-12:30, 13:30-17:00"``: a day's windows the way a person types them (and the way
    `bot.domain.hours_text.parse_windows` reads them back); empty for a day off."""
    return separator.join(f"{hhmm(w.start)}-{hhmm(w.end)}" for w in windows)


def describe_pattern(pattern: WorkPattern) -> str:
    """The week in plain words, days with the same hours together, e.g.
    ``"Mon–Thu 09:00–12:30, 13:30–17:00; Fri 09:00–13:00"``."""
    groups: dict[tuple[Window, ...], list[int]] = {}
    for day, windows in enumerate(pattern.days):
        if windows:
            groups.setdefault(windows, []).append(day)
    return "; ".join(
        f"{_days_label(days)} {', '.join(map(str, windows))}" for windows, days in groups.items()
    )


def describe_week(pattern: WorkPattern) -> list[str]:
    """One line per weekday, days off included: ``"Saturday: off"``."""
    names = weekday_names()
    return [
        _("{day}: {hours}", day=names[day], hours=", ".join(map(str, windows)))
        if windows
        else _("{day}: off", day=names[day])
        for day, windows in enumerate(pattern.days)
    ]


def _days_label(days: list[int]) -> str:
    """Days as words: Every day, Weekdays, a run like Mon–Thu, or a list like Mon, Wed."""
    if (days[0], days[-1]) in _RUN_LABELS and len(days) == days[-1] - days[0] + 1:
        return _(_RUN_LABELS[(days[0], days[-1])])
    names = weekday_names("abbreviated")
    if len(days) >= 3 and len(days) == days[-1] - days[0] + 1:
        return f"{names[days[0]]}\N{EN DASH}{names[days[-1]]}"
    return ", ".join(names[day] for day in days)


def _check_day(weekday: int, windows: tuple[Window, ...]) -> None:
    name = weekday_names()[weekday]
    if len(windows) > MAX_WINDOWS_PER_DAY:
        raise WorkPatternError(
            ngettext(
                "{day} has {n} window; up to {most} fit in a day.",
                "{day} has {n} windows; up to {most} fit in a day.",
                len(windows),
                day=name,
                most=MAX_WINDOWS_PER_DAY,
            ),
            weekday,
        )
    for earlier, later in pairwise(windows):
        if earlier.end_seconds > later.start_seconds:
            raise WorkPatternError(
                _("On {day}, {earlier} overlaps {later}.", day=name, earlier=earlier, later=later),
                weekday,
            )


def _check_night_into_next_day(
    weekday: int, windows: tuple[Window, ...], next_day: tuple[Window, ...]
) -> None:
    if not windows or not windows[-1].crosses_midnight or not next_day:
        return
    night, morning = windows[-1], next_day[0]
    if night.end_seconds - DAY_SECONDS > morning.start_seconds:
        following = (weekday + 1) % 7
        names = weekday_names()
        raise WorkPatternError(
            _(
                "{day}'s {night} runs into {next_day}'s {morning}.",
                day=names[weekday],
                night=night,
                next_day=names[following],
                morning=morning,
            ),
            following,
        )
