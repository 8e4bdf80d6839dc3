"""Work hours and nudge slots in a person's own time zone: pure, exact, UTC in and UTC out.

Slots are generated as *local wall-clock times* (someone who works 09:00 to 17:00 wants a nudge
at 10:00 on their clock on both sides of a DST change) and only then turned into instants. The
turning uses ``fold=0`` (PEP 495), which gives exactly one answer for every wall time:

* ambiguous (clocks go back: 01:30 on 2026-11-01 in New York happens twice) → the first occurrence;
* nonexistent (clocks go forward: 02:30 on 2026-03-08 in New York never happens) → the offset from
  before the gap applies, which moves the time forward by the length of the gap (02:30 → 03:30).

Consequences, all handled here:

* Two slots can collapse onto one instant (02:30 → 03:30, and 03:30 itself): one is kept.
* A slot that a gap pushes out of the work hours (past the end, into lunch, onto the next date) is
  dropped: one nudge fewer beats one at the wrong time. So every slot is work time on its own clock.
* Nothing assumes a day starts at 00:00 or lasts 24 hours: America/Santiago and America/Havana
  change their clocks at midnight, so midnight may not exist or may happen twice.

A day's slots all come before the next day's: each slot lies on its own local date, and fold=0 takes
a repeated hour's first pass, which precedes the following date.

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
from bot.domain.zones import WEEKDAY_ABBREVIATIONS, as_utc, require_zone

INTERVAL_CHOICES = (30, 45, 60, 90, 120)

_DAY_LABELS = {frozenset(range(7)): "Every day", frozenset(range(5)): "Weekdays"}
# Validation puts wall-clock slots on every work day, so a week normally holds one. Two weeks (plus
# a day of margin) also cover a work day that a zone skipped entirely (Pacific/Apia, 2011-12-30).
_SEARCH_DAYS = 15


@dataclass(frozen=True)
class WorkSchedule:
    """When someone works, and how often they want a nudge.

    ``offset_seconds`` shifts every slot by a stable per-person amount (see
    :func:`stable_offset_seconds`) so that people with identical settings don't all fire at :00.
    """

    tz: str
    work_days: frozenset[int]
    start: time
    end: time
    interval_minutes: int
    lunch_start: time | None = None
    lunch_end: time | None = None
    offset_seconds: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "work_days", frozenset(self.work_days))
        require_zone(self.tz)
        _check_days(self.work_days)
        _check_hours(self)
        _check_lunch(self)
        _check_interval(self)
        if not _wall_slots(self):
            raise ValueError(
                f"No break fits: every {self.interval_minutes} minutes from "
                f"{_hhmm(self.start)} the first would come at or after the day's end "
                f"({_hhmm(self.end)}) or inside lunch."
            )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


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
    for slot in _slots(schedule, local_date(schedule, after), _SEARCH_DAYS):
        if slot > after:
            return slot
    raise LookupError(f"No slot within {_SEARCH_DAYS} days after {after.isoformat()}.")


def slots_between(schedule: WorkSchedule, start: datetime, end: datetime) -> Iterator[datetime]:
    """Slots ``s`` with ``start < s <= end``, in increasing order, in UTC.

    Open at the start like :func:`next_slot`, so windows ``(a, b]`` and ``(b, c]`` share no slot.
    """
    start, end = as_utc(start, "start"), as_utc(end, "end")
    days = (local_date(schedule, end) - local_date(schedule, start)).days + 1
    for slot in _slots(schedule, local_date(schedule, start), days):
        if slot > end:
            return
        if slot > start:
            yield slot


def is_work_time(schedule: WorkSchedule, at: datetime) -> bool:
    """Whether the local wall time at ``at`` is on a work day, within [start, end), not at lunch."""
    local = as_utc(at, "at").astimezone(schedule.zone)
    return _in_work_day(schedule, local) and not _in_lunch(schedule, local.time())


def work_day_end(schedule: WorkSchedule, at: datetime) -> datetime | None:
    """The UTC end of the work day containing ``at`` (lunch counts as inside), or None.

    The end is taken at its last occurrence when the clock passes it twice, and moved forward like a
    slot when it falls in a gap, so it is always later than ``at``.
    """
    local = as_utc(at, "at").astimezone(schedule.zone)
    if not _in_work_day(schedule, local):
        return None
    first = datetime.combine(local.date(), schedule.end, tzinfo=schedule.zone)
    last = first.replace(fold=1)
    return max(first.astimezone(UTC), last.astimezone(UTC))


def local_date(schedule: WorkSchedule, at: datetime) -> date:
    """The calendar date on the person's own clock at ``at``."""
    return zones.local_date(at, schedule.zone)


def describe(schedule: WorkSchedule) -> str:
    """The schedule in plain words for settings and help, e.g. "Weekdays 09:00–17:00
    Europe/Berlin, every 60 minutes, lunch 12:00–13:00"."""
    text = (
        f"{_describe_days(schedule.work_days)} {_span(schedule.start, schedule.end)} "
        f"{schedule.tz}, every {schedule.interval_minutes} minutes"
    )
    if schedule.lunch_start is not None and schedule.lunch_end is not None:
        text += f", lunch {_span(schedule.lunch_start, schedule.lunch_end)}"
    return text


# --- slots -------------------------------------------------------------------------------------


def _slots(schedule: WorkSchedule, first_day: date, days: int) -> Iterator[datetime]:
    for n in range(days):
        yield from _day_slots(schedule, first_day + timedelta(days=n))


def _day_slots(schedule: WorkSchedule, day: date) -> list[datetime]:
    """The slots of one local date as sorted, distinct UTC instants (see the module docstring)."""
    if day.weekday() not in schedule.work_days:
        return []
    kept = set()
    for wall in _wall_slots(schedule):
        instant = datetime.combine(day, wall, tzinfo=schedule.zone).astimezone(UTC)
        resolved = instant.astimezone(schedule.zone)
        if resolved.date() == day and is_work_time(schedule, instant):
            kept.add(instant)
    return sorted(kept)


def _wall_slots(schedule: WorkSchedule) -> list[time]:
    """Wall times ``start + offset + k*interval`` (k ≥ 1) before ``end``, lunch left out."""
    step = schedule.interval_minutes * 60
    first = _seconds(schedule.start) + schedule.offset_seconds + step
    walls = (_from_seconds(s) for s in range(first, _seconds(schedule.end), step))
    return [wall for wall in walls if not _in_lunch(schedule, wall)]


def _in_work_day(schedule: WorkSchedule, local: datetime) -> bool:
    return local.weekday() in schedule.work_days and schedule.start <= local.time() < schedule.end


def _in_lunch(schedule: WorkSchedule, wall: time) -> bool:
    if schedule.lunch_start is None or schedule.lunch_end is None:
        return False
    return schedule.lunch_start <= wall < schedule.lunch_end


# --- validation --------------------------------------------------------------------------------


def _check_days(work_days: frozenset[int]) -> None:
    if not work_days:
        raise ValueError("Pick at least one work day.")
    if not all(isinstance(day, int) and 0 <= day <= 6 for day in work_days):
        raise ValueError(f"Work days are numbers from 0 (Monday) to 6 (Sunday), got {work_days}.")


def _check_hours(schedule: WorkSchedule) -> None:
    _check_wall_time("start", schedule.start)
    _check_wall_time("end", schedule.end)
    if schedule.end <= schedule.start:
        raise ValueError(
            "The work day must end after it starts on the same day, got "
            f"{_span(schedule.start, schedule.end)}."
        )


def _check_wall_time(name: str, value: object) -> None:
    if not isinstance(value, time) or value.tzinfo is not None or value.microsecond:
        raise ValueError(f"The {name} must be a plain wall-clock time like 09:00, got {value!r}.")


def _check_lunch(schedule: WorkSchedule) -> None:
    lunch = (schedule.lunch_start, schedule.lunch_end)
    if lunch == (None, None):
        return
    if None in lunch:
        raise ValueError("Give both a lunch start and a lunch end, or neither.")
    _check_wall_time("lunch start", schedule.lunch_start)
    _check_wall_time("lunch end", schedule.lunch_end)
    if not schedule.start < schedule.lunch_start < schedule.lunch_end < schedule.end:
        raise ValueError(
            f"Lunch {_span(schedule.lunch_start, schedule.lunch_end)} must lie inside "
            f"the work day {_span(schedule.start, schedule.end)}."
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


# --- small helpers -----------------------------------------------------------------------------


def _seconds(wall: time) -> int:
    return wall.hour * 3600 + wall.minute * 60 + wall.second


def _from_seconds(seconds: int) -> time:
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def _hhmm(wall: time) -> str:
    return wall.strftime("%H:%M:%S" if wall.second else "%H:%M")


def _span(first: time, last: time) -> str:
    return f"{_hhmm(first)}\N{EN DASH}{_hhmm(last)}"


def _describe_days(work_days: frozenset[int]) -> str:
    return _DAY_LABELS.get(work_days) or ", ".join(
        WEEKDAY_ABBREVIATIONS[day] for day in sorted(work_days)
    )
