"""Planned time off: read "/stretch away 24 dec - 2 jan" as a span of local dates, and say it back.

Time off is whole days on the person's own calendar (their zone decides what "today" is), first and
last day both included. A date without a year is its next occurrence, today included; an end
without a year is its first occurrence on or after the start, so "24 dec - 2 jan" runs into the
next year. Spans start today or later, at most `MAX_AHEAD` ahead, and last at most `MAX_DAYS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.i18n import _, format_day, ngettext
from bot.domain.zones import MONTH_ABBREVIATIONS, WEEKDAY_ABBREVIATIONS

MAX_DAYS = 366  # the longest span, in days (a year, leap years included)
MAX_AHEAD = timedelta(days=366)  # how far ahead time off can start
MAX_PLANNED = 20  # upcoming spans a person may hold at once (each is a row on the Home tab)
AWAY_EXAMPLES = ("24 dec - 2 jan", "dec 24 - jan 2", "2026-12-24 - 2027-01-02", "tomorrow", "fri")

_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_ABBREVIATIONS, start=1)}
_MONTHS |= {
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8,
    "september": 9, "sept": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_WEEKDAYS = {name.lower(): day for day, name in enumerate(WEEKDAY_ABBREVIATIONS)}
_WEEKDAYS |= {
    "monday": 0, "tues": 1, "tuesday": 1, "weds": 2, "wednesday": 2, "thur": 3, "thurs": 3,
    "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip

_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"  # 2026-12-24
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTH})\.?(?: \d{{4}})?"  # 24 dec, 24th december 2026
    rf"|(?:{_MONTH})\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?"  # dec 24, december 24, 2026
    rf"|today|tomorrow|(?:{_WEEKDAY}))"
)
_SPAN = re.compile(rf"(?P<first>{_DATE})(?: ?(?:-|–|—|to|until|till) ?(?P<last>{_DATE}))?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH})\.?(?: (\d{{4}}))?")
_MONTH_DAY = re.compile(rf"({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?")


class TimeOffParseError(ValueError):
    """The text could not be used as time off; the message is meant for the person who typed it.
    ``about_first``: the first day is what is wrong (for the modal's field errors)."""

    def __init__(self, message: str, *, about_first: bool = False) -> None:
        super().__init__(message)
        self.about_first = about_first


@dataclass(frozen=True, order=True)
class DateSpan:
    """Local calendar dates from ``first`` to ``last``, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"A span must not end ({self.last}) before it starts ({self.first}).")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def parse_time_off(text: str, today: date) -> DateSpan:
    """The span ``text`` names, typed on the local date ``today``; raises `TimeOffParseError`."""
    words = " ".join(text.lower().replace(",", ", ").split()).replace(" ,", ",")
    match = _SPAN.fullmatch(words)
    if match is None:
        raise TimeOffParseError(_unreadable(text))
    first = _read_date(match["first"], today)
    last = first if match["last"] is None else _read_date(match["last"], first)
    try:
        return checked_span(first, last, today)
    except TimeOffParseError as problem:
        raise TimeOffParseError(
            _("{problem} Try: {examples}.", problem=problem, examples=_examples())
        ) from None


def checked_span(first: date, last: date, today: date) -> DateSpan:
    """The span, if time off may be planned for it on ``today``; else `TimeOffParseError`
    (its ``about_first`` says whether the first day is what is wrong)."""
    if first < today:
        raise TimeOffParseError(
            _(
                "{day} is already past: time off starts today or later.",
                day=describe_day(first, today),
            ),
            about_first=True,
        )
    if first > today + MAX_AHEAD:
        raise TimeOffParseError(
            _(
                "{day} is more than a year ahead: plan time off within the next year.",
                day=describe_day(first, today),
            ),
            about_first=True,
        )
    if last < first:
        raise TimeOffParseError(
            _(
                "The last day off ({last}) comes before the first ({first}).",
                last=describe_day(last, today),
                first=describe_day(first, today),
            )
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise TimeOffParseError(
            ngettext(
                "Time off can last at most a year; {first} to {last} is {n} day.",
                "Time off can last at most a year; {first} to {last} is {n} days.",
                (last - first).days + 1,
                first=describe_day(first, today),
                last=describe_day(last, today),
            )
        )
    return DateSpan(first, last)


def describe_day(day: date, today: date | None = None) -> str:
    """ "Thu 24 Dec", with the year when it is not ``today``'s (always, without ``today``)."""
    text = format_day(day)
    if today is not None and day.year == today.year:
        return text
    return _("{day} {year}", day=text, year=day.year)


def describe_span(span: DateSpan, today: date) -> str:
    """ "Thu 24 Dec – Sat 2 Jan 2027 (10 days)", or "Fri 27 Nov" for one day."""
    if span.first == span.last:
        return describe_day(span.first, today)
    return ngettext(
        "{first} \N{EN DASH} {last} ({n} day)",
        "{first} \N{EN DASH} {last} ({n} days)",
        span.days,
        first=describe_day(span.first, today),
        last=describe_day(span.last, today),
    )


# --- reading one date --------------------------------------------------------------------------


def _read_date(word: str, not_before: date) -> date:
    """The date ``word`` names: with a year as written, else the first on or after
    ``not_before``."""
    if word == "today":
        return not_before
    if word == "tomorrow":
        return not_before + timedelta(days=1)
    if word in _WEEKDAYS:
        return not_before + timedelta(days=(_WEEKDAYS[word] - not_before.weekday()) % 7)
    if iso := _ISO.fullmatch(word):
        return _calendar_date(word, int(iso[1]), int(iso[2]), int(iso[3]))
    if day_month := _DAY_MONTH.fullmatch(word):
        day, month, year = int(day_month[1]), _MONTHS[day_month[2]], day_month[3]
    else:
        month_day = _MONTH_DAY.fullmatch(word)
        assert month_day is not None  # the span's pattern let only these forms through
        month, day, year = _MONTHS[month_day[1]], int(month_day[2]), month_day[3]
    if year is not None:
        return _calendar_date(word, int(year), month, day)
    return _next_occurrence(word, month, day, not_before)


def _next_occurrence(word: str, month: int, day: int, not_before: date) -> date:
    _calendar_date(word, 2028, month, day)  # a leap year: only impossible dates fail here
    for year in range(not_before.year, not_before.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:  # 29 Feb outside a leap year
            continue
        if candidate >= not_before:
            return candidate
    raise AssertionError("a valid month and day recurs within eight years")


def _calendar_date(word: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise TimeOffParseError(
            _(
                "“{text}” isn't a date on the calendar. Try: {examples}.",
                text=word,
                examples=_examples(),
            )
        ) from None


# --- messages ----------------------------------------------------------------------------------


def _unreadable(text: str) -> str:
    if not text.strip():
        return _(
            "Tell me which days you're away. Try: `/stretch away {example}`.",
            example=AWAY_EXAMPLES[0],
        )
    return _(
        "I couldn't read “{text}” as dates. Try: {examples}.",
        text=_clip(text),
        examples=_examples(),
    )


def _examples() -> str:
    return ", ".join(f"`/stretch away {example}`" for example in AWAY_EXAMPLES)


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
