"""The team view an admin sees: counts over the whole workspace, never about anyone.

Nothing is shown for a group of fewer than `MIN_GROUP` distinct people — not a week, not an hour,
not an exercise — so that no number can be traced back to one or two people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.i18n import ngettext

MIN_GROUP = 5
WEEKS = 8
BUSIEST_HOURS = 3
TOP_EXERCISES = 5
TOO_FEW = f"fewer than {MIN_GROUP} people"  # English; a person reads `too_few()`


def too_few() -> str:
    """What a number hidden for privacy says instead, in the language being spoken."""
    return ngettext("fewer than {n} person", "fewer than {n} people", MIN_GROUP)


def shown(count: int, people: int) -> str:
    """``count`` as text, or `too_few()` when fewer than `MIN_GROUP` people are behind it."""
    return str(count) if people >= MIN_GROUP else too_few()


@dataclass(frozen=True)
class Week:
    monday: date
    breaks: int
    people: int


@dataclass(frozen=True)
class TeamNumbers:
    """What the team view shows; each part already stripped of groups under `MIN_GROUP`."""

    reminders_on: int
    weeks: list[Week]  # oldest first, `WEEKS` of them
    busiest_hours: list[tuple[int, int]]  # (local hour, breaks), busiest first
    top_exercises: list[tuple[str, int]]  # (exercise id, times done), most done first


def week_starts(now: datetime) -> list[datetime]:
    """The Mondays 00:00 UTC that start the last `WEEKS` weeks, this week last. Weeks are UTC
    weeks: one calendar for a team spread over zones."""
    this_monday = datetime.combine(
        now.date() - timedelta(days=now.weekday()), datetime.min.time(), now.tzinfo
    )
    return [this_monday - timedelta(weeks=back) for back in range(WEEKS - 1, -1, -1)]


def local_hour(zone: str, utc_hour: int, at: datetime) -> int:
    """The local hour (0–23) in ``zone`` that most of UTC hour ``utc_hour`` falls in, with the
    zone's offset at ``at`` (a daylight-saving change within the eight weeks may shift an hour)."""
    try:
        offset = at.astimezone(ZoneInfo(zone)).utcoffset() or timedelta()
    except (ZoneInfoNotFoundError, ValueError):
        offset = timedelta()
    midpoint = utc_hour * 60 + 30 + int(offset.total_seconds()) // 60
    return (midpoint // 60) % 24


def busiest_hours(done: Iterable[tuple[int, str, int, int]], at: datetime) -> list[tuple[int, int]]:
    """From (person id, zone, UTC hour, breaks) rows: the busiest local hours done by at least
    `MIN_GROUP` people, busiest first (earlier hour on a tie)."""
    breaks: dict[int, int] = defaultdict(int)
    people: dict[int, set[int]] = defaultdict(set)
    for person_id, zone, utc_hour, count in done:
        hour = local_hour(zone, utc_hour, at)
        breaks[hour] += count
        people[hour].add(person_id)
    allowed = [(hour, n) for hour, n in breaks.items() if len(people[hour]) >= MIN_GROUP]
    return sorted(allowed, key=lambda item: (-item[1], item[0]))[:BUSIEST_HOURS]
