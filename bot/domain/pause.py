"""Read "/stretch pause …" text as the UTC instant when nudges resume, and say it back in words.

Hours and minutes are elapsed time: "2h" is two real hours even across a DST change. Days and named
days are wall-clock in the person's zone: "3d" resumes at the same clock time three days on (71
or 73 hours across a DST change), "until friday" at the start of Friday there.

The start of a local day is 00:00 resolved with fold=0 (see bot.domain.schedule), which is the
day's first instant even where midnight doesn't exist (America/Santiago jumps from 00:00 to
01:00) or happens twice (America/Havana goes back from 01:00 to 00:00) — so nothing here assumes
24-hour days.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.domain.i18n import _, format_clock, format_day
from bot.domain.zones import WEEKDAYS, as_utc, next_work_day

PAUSE_EXAMPLES = ("30m", "2h", "today", "3d", "until friday", "until 14:30", "until 2026-12-01")
MAX_PAUSE = timedelta(days=90)

_WEEKDAY_WORDS = {
    **dict.fromkeys(("mon", "monday"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4),
    **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}
_DURATION = re.compile(
    r"(?:for )?"
    r"(?:(?P<days>\d+) ?d(?:ays?)? ?)?"
    r"(?:(?P<hours>\d+) ?h(?:ours?|rs?)? ?)?"
    r"(?:(?P<minutes>\d+) ?m(?:in(?:ute)?s?)?)?"
)
_UNTIL = re.compile(r"^(?:until|till|til) ")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))? ?(?P<half>am|pm)?")


class PauseParseError(ValueError):
    """The pause text couldn't be used; the message is meant for the person who typed it."""


def parse_pause(
    text: str, now: datetime, tz: str, work_days: frozenset[int] | None = None
) -> datetime:
    """The UTC instant nudges resume for ``text`` typed at ``now`` by someone in zone ``tz``.

    Accepts durations ("30m", "90 min", "2h", "1h30m", "3d") and, with or without "until", a day
    or a time: "today" and "tomorrow" (both: until the next local day starts), a weekday ("friday":
    the start of the next Friday, a week on if today is Friday), "next workday" (by ``work_days``,
    Monday to Friday if None), a date ("2026-12-01"), or a clock time ("14:30", "2pm": today, or
    tomorrow if already past). Raises :class:`PauseParseError` with a message for the person.
    """
    now = as_utc(now, "now")
    local_now = now.astimezone(ZoneInfo(tz))
    words = " ".join(text.lower().split())
    resume_at = _resolve(words, local_now, work_days or WEEKDAYS)
    if resume_at is None:
        raise PauseParseError(_unreadable(text))
    if resume_at <= now:
        raise PauseParseError(
            _("“{text}” is already past. Pick a future date or time.", text=_clip(text))
        )
    # Wall-clock, like "90d" itself, so a DST change on the way doesn't make "90d" too long.
    if resume_at > (local_now + MAX_PAUSE).astimezone(UTC):
        raise PauseParseError(
            _(
                "A pause can last at most {days} days; “{text}” is longer. Try: {examples}.",
                days=MAX_PAUSE.days,
                text=_clip(text),
                examples=_examples(),
            )
        )
    return resume_at


def describe_until(resume_at: datetime, tz: str, now: datetime) -> str:
    """Local words for a resume time: "until 14:30 today", "until tomorrow 00:00",
    "until Fri 4 Dec 00:00" (the year is added when it isn't this year's)."""
    zone = ZoneInfo(tz)
    local = as_utc(resume_at, "resume_at").astimezone(zone)
    today = as_utc(now, "now").astimezone(zone).date()
    clock = format_clock(local)
    if local.date() == today:
        return _("until {time} today", time=clock)
    if local.date() == today + timedelta(days=1):
        return _("until tomorrow {time}", time=clock)
    day = format_day(local.date())
    if local.year != today.year:
        day = _("{day} {year}", day=day, year=local.year)
    return _("until {day} {time}", day=day, time=clock)


# --- reading -----------------------------------------------------------------------------------


def _resolve(words: str, local_now: datetime, work_days: frozenset[int]) -> datetime | None:
    """The resume instant for normalised ``words``, or None when they aren't a pause."""
    duration = _DURATION.fullmatch(words)
    if duration and any(duration.groups()):
        amounts = {unit: int(value or 0) for unit, value in duration.groupdict().items()}
        if not any(amounts.values()):
            raise PauseParseError(
                _("A pause has to last longer than zero. Try: {examples}.", examples=_examples())
            )
        return _after_duration(local_now, **amounts)
    return _until(_UNTIL.sub("", words), local_now, work_days)


def _after_duration(local_now: datetime, days: int, hours: int, minutes: int) -> datetime:
    # Adding days to an aware datetime is wall-clock arithmetic, resolved with fold=0.
    later = (local_now + timedelta(days=days)).astimezone(UTC)
    return later + timedelta(hours=hours, minutes=minutes)


def _until(target: str, local_now: datetime, work_days: frozenset[int]) -> datetime | None:
    zone, today = local_now.tzinfo, local_now.date()
    if target in ("today", "tomorrow"):
        return _instant(today + timedelta(days=1), time(0), zone)
    if target in _WEEKDAY_WORDS:
        ahead = (_WEEKDAY_WORDS[target] - today.weekday()) % 7 or 7
        return _instant(today + timedelta(days=ahead), time(0), zone)
    if target in ("next workday", "next work day", "workday", "work day"):
        return _instant(next_work_day(today, work_days), time(0), zone)
    if _ISO_DATE.fullmatch(target):
        return _instant(_parse_date(target), time(0), zone)
    clock = _CLOCK.fullmatch(target)
    if clock and (clock["minute"] or clock["half"]):
        wall = _parse_clock(clock)
        today_at = _instant(today, wall, zone)
        return today_at if today_at > local_now else _instant(today + timedelta(days=1), wall, zone)
    return None


def _parse_date(target: str) -> date:
    try:
        return date.fromisoformat(target)
    except ValueError:
        raise PauseParseError(
            _(
                "“{text}” isn't a date on the calendar. Try: {examples}.",
                text=target,
                examples=_examples(),
            )
        ) from None


def _parse_clock(clock: re.Match[str]) -> time:
    hour, minute = int(clock["hour"]), int(clock["minute"] or 0)
    if clock["half"]:
        if not 1 <= hour <= 12:
            raise PauseParseError(
                _("“{text}” isn't a time of day. Try: until 2:30pm.", text=clock[0])
            )
        hour = hour % 12 + (12 if clock["half"] == "pm" else 0)
    if hour > 23 or minute > 59:
        raise PauseParseError(_("“{text}” isn't a time of day. Try: until 14:30.", text=clock[0]))
    return time(hour, minute)


def _instant(day: date, wall: time, zone: tzinfo | None) -> datetime:
    """A local date and wall time as UTC, with fold=0: 00:00 gives the day's first instant."""
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


# --- messages and helpers ----------------------------------------------------------------------


def _unreadable(text: str) -> str:
    if not text.strip():
        return _("Tell me how long to pause. Try: {examples}.", examples=_examples())
    return _(
        "I couldn't read “{text}” as a pause. Try: {examples}.",
        text=_clip(text),
        examples=_examples(),
    )


def _examples() -> str:
    return ", ".join(PAUSE_EXAMPLES)


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
