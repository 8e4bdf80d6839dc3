"""Time-zone and calendar helpers shared by every rule: one copy each of the weekday names, the
zone check, the aware-UTC check and a person's local day.

Zones are IANA names as Slack sends them in `user.tz`. Instants are aware UTC datetimes; a local
day starts at 00:00 resolved with fold=0, which is the day's first instant even where midnight
doesn't exist (America/Santiago jumps from 00:00 to 01:00) or happens twice (America/Havana goes
back from 01:00 to 00:00).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.i18n import _

# English, for reading what people type; a person reads `bot.domain.i18n.weekday_names()`.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_ABBREVIATIONS = tuple(name[:3] for name in WEEKDAY_NAMES)  # "Mon" … "Sun"
MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
WEEKDAYS = frozenset(range(5))  # Monday to Friday, as weekday numbers


def valid_zone(name: object) -> str | None:
    """The zone name if zoneinfo knows it, else None (for anything that is not one)."""
    if not name or not isinstance(name, str):
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def require_zone(tz: str) -> ZoneInfo:
    """The zone, or a ValueError that tells a person what to type instead."""
    if valid_zone(tz) is None:
        raise ValueError(
            _("Unknown time zone {zone}: use an IANA name such as 'Europe/Berlin'.", zone=repr(tz))
        )
    return ZoneInfo(tz)


def as_utc(value: datetime, name: str) -> datetime:
    """`value` in UTC; a naive datetime is a bug in the caller, so it raises."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (UTC), got naive {value!r}.")
    return value.astimezone(UTC)


def local_date(at: datetime, zone: str | ZoneInfo) -> date:
    """The calendar date on a wall clock in `zone` at the instant `at`."""
    return as_utc(at, "at").astimezone(_zone(zone)).date()


def local_day_bounds(zone: str | ZoneInfo, at: datetime) -> tuple[datetime, datetime]:
    """The UTC instants where the local calendar day containing `at` starts and ends."""
    day = local_date(at, zone)
    return day_start(day, zone), day_start(day + timedelta(days=1), zone)


def day_start(day: date, zone: str | ZoneInfo) -> datetime:
    """The UTC instant where the local `day` begins."""
    return datetime.combine(day, time(), tzinfo=_zone(zone)).astimezone(UTC)


def next_work_day(day: date, work_days: frozenset[int]) -> date:
    """The first date after `day` whose weekday is one of `work_days` (0 = Monday)."""
    day += timedelta(days=1)
    while day.weekday() not in work_days:
        day += timedelta(days=1)
    return day


def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
