"""Work hours as people type them: one day's windows (``9-12:30, 13:30-17``, a Settings row) and
a whole week (``mon-thu 9-12:30,13:30-17 fri 9-13``, `/stretch hours`).

Times are 24-hour with optional minutes (``9``, ``09:30``, ``17.30``, ``24`` for midnight) or
12-hour with am/pm (``9am``, ``5:30pm``). Days are names (``mon``, ``Tuesday``), ranges
(``mon-thu``, ``fri-mon`` wraps), lists (``mon,wed``), ``weekdays``, ``weekends`` and
``daily``. In a week, days not named are days off, and ``off`` says so explicitly.

Every error is a `WorkPatternError` quoting the part that could not be read; nothing is returned
from a half-read entry.
"""

from __future__ import annotations

import re
from datetime import time
from itertools import groupby

from bot.domain.i18n import _, weekday_names
from bot.domain.work_pattern import Window, WorkPattern, WorkPatternError
from bot.domain.zones import WEEKDAY_ABBREVIATIONS, WEEKDAY_NAMES

EXAMPLE_WEEK = "mon-thu 9-12:30,13:30-17 fri 9-13"
EXAMPLE_DAY = "9-12:30, 13:30-17"
OFF = "off"

_TIME = re.compile(r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?(?P<half>am|pm)?")
_DASHES = re.compile(r"\s*[-\N{EN DASH}\N{EM DASH}]\s*")
_COMMAS = re.compile(r"\s*,\s*")
_AM_PM = re.compile(r"\s+(am|pm)\b")
_DAY_COLON = re.compile(r"(?<=[a-z]):")  # "mon-fri: 9-17"
_DAY_GROUPS = {
    "weekdays": range(5),
    "weekends": range(5, 7),
    "weekend": range(5, 7),
    "daily": range(7),
    "everyday": range(7),
}
_DAYS_BY_NAME = {
    name.lower(): day
    for names in (WEEKDAY_ABBREVIATIONS, WEEKDAY_NAMES)
    for day, name in enumerate(names)
} | {"tues": 1, "wednes": 2, "thur": 3, "thurs": 3}


def parse_windows(text: str) -> tuple[Window, ...]:
    """A day's windows from ``"9-12:30, 13:30-17"``; empty text (or ``off``) is a day off."""
    words = _tidy(text)
    if words in ("", OFF):
        return ()
    return _windows(words, whole=text.strip())


def parse_week(text: str) -> WorkPattern:
    """A week from ``"mon-thu 9-12:30,13:30-17 fri 9-13"``: each group of days followed by
    their hours (or ``off``); days not named are days off."""
    days: list[tuple[Window, ...] | None] = [None] * 7
    waiting: list[int] = []  # days named, hours not given yet
    for token in _tokens(text):
        if _is_hours(token):
            if not waiting:
                raise WorkPatternError(
                    _(
                        "Say which days “{hours}” is for, e.g. `{example}`.",
                        hours=token,
                        example=EXAMPLE_WEEK,
                    )
                )
            windows = () if token == OFF else _windows(token, whole=token)
            for day in waiting:
                days[day] = windows
            waiting = []
            continue
        for day in _days(token):
            if day in waiting or days[day] is not None:
                raise WorkPatternError(_("{day} is named twice.", day=weekday_names()[day]), day)
            waiting.append(day)
    if waiting:
        names = weekday_names()
        named = ", ".join(names[day] for day in waiting)
        raise WorkPatternError(
            _(
                "No hours after {days}: add them, e.g. `{example}`.",
                days=named,
                example=EXAMPLE_WEEK,
            )
        )
    if all(windows is None for windows in days):
        raise WorkPatternError(
            _("Name days and their hours, e.g. `{example}`.", example=EXAMPLE_WEEK)
        )
    return WorkPattern(tuple(windows or () for windows in days))


def _tidy(text: str) -> str:
    """Lower case, with spaces around dashes, commas and before am/pm taken out."""
    words = " ".join(text.lower().split())
    words = _AM_PM.sub(r"\1", _DAY_COLON.sub(" ", words))
    return _COMMAS.sub(",", _DASHES.sub("-", words))


def _tokens(text: str) -> list[str]:
    """Days and hours in turn: a comma between groups (``mon 9-12, tue 10-14``) splits them."""
    return [
        ",".join(parts)
        for word in _tidy(text).split()
        for _key, parts in groupby(word.split(","), key=_is_hours)
    ]


def _is_hours(token: str) -> bool:
    return token == OFF or _TIME.match(token) is not None


def _windows(words: str, *, whole: str) -> tuple[Window, ...]:
    windows = []
    for part in words.split(","):
        start, dash, end = part.partition("-")
        if not dash:
            if part == whole:
                problem = _(
                    "I couldn't read “{part}” as hours: give a start and an end, e.g. `{example}`.",
                    part=part,
                    example=EXAMPLE_DAY,
                )
            else:
                problem = _(
                    "I couldn't read “{part}” in “{whole}” as hours: give a start and an end, "
                    "e.g. `{example}`.",
                    part=part,
                    whole=whole,
                    example=EXAMPLE_DAY,
                )
            raise WorkPatternError(problem)
        windows.append(Window(_time(start, part), _time(end, part)))
    return tuple(windows)


def _time(text: str, part: str) -> time:
    match = _TIME.fullmatch(text)
    if match is None:
        raise WorkPatternError(
            _(
                "I couldn't read “{text}” in “{part}” as a time: use 24-hour times like 9, 13:30 "
                "or 17.30, or 9am / 5:30pm.",
                text=text,
                part=part,
            )
        )
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            raise WorkPatternError(
                _("“{text}” in “{part}”: with am/pm the hour is 1 to 12.", text=text, part=part)
            )
        hour = hour % 12 + (12 if match["half"] == "pm" else 0)
    if hour == 24 and minute == 0:
        hour = 0  # midnight, at the end of the day
    if hour > 23 or minute > 59:
        raise WorkPatternError(
            _("“{text}” in “{part}” is not a time of day.", text=text, part=part)
        )
    return time(hour, minute)


def _days(token: str) -> list[int]:
    days: list[int] = []
    for part in token.split(","):
        first, dash, last = part.partition("-")
        if part in _DAY_GROUPS:
            days += _DAY_GROUPS[part]
        elif first in _DAYS_BY_NAME and (not dash or last in _DAYS_BY_NAME):
            start = _DAYS_BY_NAME[first]
            length = (_DAYS_BY_NAME[last] - start) % 7 if dash else 0
            days += [(start + n) % 7 for n in range(length + 1)]
        else:
            raise WorkPatternError(
                _(
                    "I couldn't read “{part}” as days or hours: use mon … sun, ranges like "
                    "mon-thu, weekdays or weekends, e.g. `{example}`.",
                    part=part,
                    example=EXAMPLE_WEEK,
                )
            )
    return days
