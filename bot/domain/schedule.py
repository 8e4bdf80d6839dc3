"""Work hours and nudge slots in a person's own time zone: pure, exact, UTC in and UTC out.

The hours are a `WorkPattern`: windows per weekday, a window crossing midnight belonging to the day
it starts. Slots come every interval from each window's start (shifted by the person's offset),
before the window's end and outside lunch.

Slots are generated as *local wall-clock times* (someone who works 09:00 to 17:00 wants a nudge
at 10:00 on their clock on both sides of a DST change) and only then turned into instants. The
turning uses ``fold=0`` (PEP 495), which gives exactly one answer for every wall time:

* ambiguous (clocks go back: 01:30 on 2026-11-01 in New York happens twice) → the first occurrence;
* nonexistent (clocks go forward: 02:30 on 2026-03-08 in New York never happens) → the offset from
  before the gap applies, which moves the time forward by the length of the gap (02:30 → 03:30).

Consequences, all handled here:

* Two slots can collapse onto one instant (02:30 → 03:30, and 03:30 itself): one is kept.
* A slot that a gap pushes out of its window (past the end, into lunch, onto another date) is
  dropped: one nudge fewer beats one at the wrong time. So every slot is work time on its own clock.
* Nothing assumes a day starts at 00:00 or lasts 24 hours: America/Santiago and America/Havana
  change their clocks at midnight, so midnight may not exist or may happen twice.

A day's slots all come before the next day's: each slot lies inside its own window on the local
clock, the windows of a week do not overlap there, and fold=0 takes a repeated hour's first pass.

Downtime catch-up: after an outage, callers advance with ``next_slot(schedule, max(slot, now))``,
which skips every missed slot at once — a restart sends at most one late nudge, never a flood.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import zones
from bot.domain.i18n import _, ngettext
from bot.domain.work_pattern import (
    DAY_SECONDS,
    Window,
    WorkPattern,
    clock_text,
    describe_pattern,
    seconds_of,
)
from bot.domain.zones import as_utc, require_zone

INTERVAL_CHOICES = (30, 45, 60, 90, 120)

# Validation puts wall-clock slots on some work day, so a week normally holds one. Two weeks (plus
# a day of margin) also cover a work day that a zone skipped entirely (Pacific/Apia, 2011-12-30).
_SEARCH_DAYS = 15


@dataclass(frozen=True)
class WorkSchedule:
    """When someone works, and how often they want a nudge.

    ``offset_seconds`` shifts every slot by a stable per-person amount (see
    :func:`stable_offset_seconds`) so that people with identical settings don't all fire at :00.
    """

    tz: str
    pattern: WorkPattern
    interval_minutes: int
    lunch_start: time | None = None
    lunch_end: time | None = None
    offset_seconds: int = 0

    def __post_init__(self) -> None:
        require_zone(self.tz)
        if not isinstance(self.pattern, WorkPattern):
            raise ValueError(f"The work hours must be a WorkPattern, got {self.pattern!r}.")
        _check_lunch(self)
        _check_interval(self)
        if not any(_wall_positions(self, window) for window in _all_windows(self.pattern)):
            raise ValueError(
                ngettext(
                    "No break fits: every minute from the start of each "
                    "window ({hours}), the first would come at or after "
                    "the window's end or inside lunch.",
                    "No break fits: every {n} minutes from the start of each "
                    "window ({hours}), the first would come at or after "
                    "the window's end or inside lunch.",
                    self.interval_minutes,
                    hours=describe_pattern(self.pattern),
                )
            )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def work_days(self) -> frozenset[int]:
        """Weekdays (0 = Monday) with work hours: what streaks, pauses and challenges count."""
        return self.pattern.work_days


def stable_offset_seconds(
    key: str, interval_minutes: int, *, max_seconds: int | None = None
) -> int:
    """A per-person spread in ``[0, min(interval, max_seconds))``, the same in every process.

    Uses SHA-256 rather than ``hash()``, which is salted per process.
    """
    bound = interval_minutes * 60
    if max_seconds is not None:
        bound = min(bound, max_seconds)
    if bound <= 0:
        raise ValueError(f"The offset bound must be positive, got {bound} seconds.")
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big") % bound


def next_slot(schedule: WorkSchedule, after: datetime) -> datetime:
    """The first slot strictly after ``after``, in UTC."""
    after = as_utc(after, "after")
    for slot in _slots(schedule, _first_day(schedule, after), _SEARCH_DAYS + 1):
        if slot > after:
            return slot
    raise LookupError(f"No slot within {_SEARCH_DAYS} days after {after.isoformat()}.")


def slots_between(schedule: WorkSchedule, start: datetime, end: datetime) -> Iterator[datetime]:
    """Slots ``s`` with ``start < s <= end``, in increasing order, in UTC.

    Open at the start like :func:`next_slot`, so windows ``(a, b]`` and ``(b, c]`` share no slot.
    """
    start, end = as_utc(start, "start"), as_utc(end, "end")
    first = _first_day(schedule, start)
    for slot in _slots(schedule, first, (local_date(schedule, end) - first).days + 1):
        if slot > end:
            return
        if slot > start:
            yield slot


def window_at(schedule: WorkSchedule, at: datetime) -> tuple[date, Window] | None:
    """The work day (the date its window starts) and the window holding the local wall time at
    ``at`` (lunch counts as inside), or None outside every window."""
    local = as_utc(at, "at").astimezone(schedule.zone)
    for day in (local.date(), local.date() - timedelta(days=1)):
        position = _position(local, day)
        for window in schedule.pattern.days[day.weekday()]:
            if window.contains(position):
                return day, window
    return None


def work_day_of(schedule: WorkSchedule, at: datetime) -> date:
    """The day ``at`` counts for (daily cap, back-off): the day its window starts, so a night
    shift's small hours belong to the evening before; outside work hours the local date."""
    found = window_at(schedule, at)
    return found[0] if found else local_date(schedule, at)


def is_work_time(schedule: WorkSchedule, at: datetime) -> bool:
    """Whether the local wall time at ``at`` is inside a window and not at lunch."""
    local = as_utc(at, "at").astimezone(schedule.zone)
    return window_at(schedule, at) is not None and not _in_lunch(schedule, local.time())


def work_day_end(schedule: WorkSchedule, at: datetime) -> datetime | None:
    """The UTC end of the window containing ``at`` (lunch counts as inside), or None.

    The end is taken at its last occurrence when the clock passes it twice, and moved forward like a
    slot when it falls in a gap, so it is always later than ``at``.
    """
    found = window_at(schedule, at)
    if found is None:
        return None
    day, window = found
    return wall_instant_latest(schedule, day, window.end_seconds)


def wall_instant(schedule: WorkSchedule, day: date, position: int) -> datetime:
    """The UTC instant of the wall time ``position`` seconds after ``day``'s midnight, turned
    the way a slot is (fold=0: a repeated time's first pass, a skipped one moved forward)."""
    return _wall_datetime(schedule, day, position).astimezone(UTC)


def wall_instant_latest(schedule: WorkSchedule, day: date, position: int) -> datetime:
    """Like `wall_instant`, but a repeated wall time's last occurrence."""
    first = _wall_datetime(schedule, day, position)
    return max(first.astimezone(UTC), first.replace(fold=1).astimezone(UTC))


def local_date(schedule: WorkSchedule, at: datetime) -> date:
    """The calendar date on the person's own clock at ``at``."""
    return zones.local_date(at, schedule.zone)


def describe(schedule: WorkSchedule) -> str:
    """The schedule in plain words for settings and help, e.g. "Weekdays 09:00–17:00
    Europe/Berlin, every 60 minutes, lunch 12:00–13:00"."""
    text = ngettext(
        "{hours} {zone}, every {n} minute",
        "{hours} {zone}, every {n} minutes",
        schedule.interval_minutes,
        hours=describe_pattern(schedule.pattern),
        zone=schedule.tz,
    )
    if schedule.lunch_start is not None and schedule.lunch_end is not None:
        text = _(
            "{schedule}, lunch {start}\N{EN DASH}{end}",
            schedule=text,
            start=clock_text(schedule.lunch_start),
            end=clock_text(schedule.lunch_end),
        )
    return text


# --- slots -------------------------------------------------------------------------------------


def _first_day(schedule: WorkSchedule, at: datetime) -> date:
    """The earliest work day whose slots may come after ``at``: yesterday's night window may
    still be running."""
    return local_date(schedule, at) - timedelta(days=1)


def _slots(schedule: WorkSchedule, first_day: date, days: int) -> Iterator[datetime]:
    for n in range(days):
        yield from _day_slots(schedule, first_day + timedelta(days=n))


def _day_slots(schedule: WorkSchedule, day: date) -> list[datetime]:
    """The slots of one work day as sorted, distinct UTC instants (see the module docstring)."""
    kept = set()
    for window in schedule.pattern.days[day.weekday()]:
        for position in _wall_positions(schedule, window):
            instant = _wall_datetime(schedule, day, position).astimezone(UTC)
            resolved = instant.astimezone(schedule.zone)
            if window.contains(_position(resolved, day)) and not _in_lunch(
                schedule, resolved.time()
            ):
                kept.add(instant)
    return sorted(kept)


def _wall_positions(schedule: WorkSchedule, window: Window) -> list[int]:
    """Seconds from the work day's midnight of ``start + offset + k*interval`` (k ≥ 1) before
    the window's end, lunch left out."""
    step = schedule.interval_minutes * 60
    first = window.start_seconds + schedule.offset_seconds + step
    return [
        position
        for position in range(first, window.end_seconds, step)
        if not _in_lunch(schedule, _wall(position % DAY_SECONDS))
    ]


def _wall_datetime(schedule: WorkSchedule, day: date, position: int) -> datetime:
    days, seconds = divmod(position, DAY_SECONDS)
    return datetime.combine(day + timedelta(days=days), _wall(seconds), tzinfo=schedule.zone)


def _position(local: datetime, day: date) -> int:
    """Seconds from ``day``'s midnight to the wall time of ``local``, by the calendar."""
    return (local.date() - day).days * DAY_SECONDS + seconds_of(local.time())


def _all_windows(pattern: WorkPattern) -> Iterator[Window]:
    for windows in pattern.days:
        yield from windows


def _in_lunch(schedule: WorkSchedule, wall: time) -> bool:
    if schedule.lunch_start is None or schedule.lunch_end is None:
        return False
    return schedule.lunch_start <= wall.replace(fold=0) < schedule.lunch_end


# --- validation --------------------------------------------------------------------------------


def _check_wall_time(name: str, value: object) -> None:
    if not isinstance(value, time) or value.tzinfo is not None or value.microsecond:
        raise ValueError(f"The {name} must be a plain wall-clock time like 09:00, got {value!r}.")


def _check_lunch(schedule: WorkSchedule) -> None:
    lunch = (schedule.lunch_start, schedule.lunch_end)
    if lunch == (None, None):
        return
    if None in lunch:
        raise ValueError(_("Give both a lunch start and a lunch end, or neither."))
    _check_wall_time("lunch start", schedule.lunch_start)
    _check_wall_time("lunch end", schedule.lunch_end)
    if not schedule.lunch_start < schedule.lunch_end:
        raise ValueError(
            _(
                "Lunch must end after it starts, got {start}\N{EN DASH}{end}.",
                start=clock_text(schedule.lunch_start),
                end=clock_text(schedule.lunch_end),
            )
        )


def _check_interval(schedule: WorkSchedule) -> None:
    if schedule.interval_minutes not in INTERVAL_CHOICES:
        choices = ", ".join(map(str, INTERVAL_CHOICES))
        raise ValueError(
            f"The interval must be one of {choices} minutes, got {schedule.interval_minutes!r}."
        )
    limit = schedule.interval_minutes * 60
    if not (isinstance(schedule.offset_seconds, int) and 0 <= schedule.offset_seconds < limit):
        raise ValueError(
            f"The offset must be whole seconds from 0 to {limit - 1}, "
            f"got {schedule.offset_seconds!r}."
        )


def _wall(seconds: int) -> time:
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)
