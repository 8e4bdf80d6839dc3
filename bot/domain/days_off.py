"""Is this local date a day off for this person? Planned time off, or a public holiday of their
region. Pure: the person's spans and region come in, dates and UTC slots go out.

A day off is a *local calendar date* on the person's own clock, so what counts is the date a slot
falls on in their zone, never the UTC date: 08:00 on 25 Dec in Auckland is a holiday there while it
is still 24 Dec in UTC. Days off act like paused days: no nudges on them, they never break a
streak, and a week whose work days were all off gets no weekly summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.holidays import HolidayRegion, holiday_name
from bot.domain.i18n import _
from bot.domain.schedule import WorkSchedule, next_slot, work_day_of
from bot.domain.time_off import DateSpan
from bot.domain.zones import day_start

# Planning looks this far past days off for a working day: longer than any one span of time off,
# with room for a few back to back. Past it, the slot found is kept and planning skips it later.
_LOOK_AHEAD_DAYS = 800
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DaysOff:
    """One person's days off: their planned time off and their public holidays' region."""

    time_off: tuple[DateSpan, ...] = ()
    region: HolidayRegion | None = None

    def is_off(self, day: date) -> bool:
        return self.reason(day) is not None

    def reason(self, day: date) -> str | None:
        """Why ``day`` is off — "time off" or the holiday's name — or None on a normal day."""
        if any(day in span for span in self.time_off):
            return _("time off")
        return holiday_name(self.region, day)

    def between(self, first: date, last: date) -> set[date]:
        """The days off from ``first`` to ``last``, both included."""
        if not self.time_off and self.region is None:
            return set()  # the common case, over a history of years
        return {day for day in _dates(first, last) if self.is_off(day)}


NO_DAYS_OFF = DaysOff()


@dataclass(frozen=True)
class PlannedTimeOff:
    """One span of time off as stored, with its row id for a Cancel button."""

    id: int
    span: DateSpan


@dataclass(frozen=True)
class DaysOffOverview:
    """What a person sees of their days off: upcoming time off (numbered in this order by
    `/stretch away list`), their holidays' region and its next holiday."""

    today: date
    planned: tuple[PlannedTimeOff, ...]
    region: HolidayRegion | None
    next_holiday: tuple[date, str] | None


def next_working_slot(schedule: WorkSchedule, after: datetime, days_off: DaysOff) -> datetime:
    """The first slot strictly after ``after`` whose work day is not a day off (see
    `bot.domain.schedule.next_slot`; a night shift's small hours belong to the day it started,
    `work_day_of`). A slot on a day off moves on to the start of the next local date, so a
    fortnight off costs a few dozen lookups, not a fortnight of slots."""
    slot = next_slot(schedule, after)
    for _attempt in range(_LOOK_AHEAD_DAYS):
        day = work_day_of(schedule, slot)
        if not days_off.is_off(day):
            return slot
        # Strictly after the instant just before the next day starts (its first slot counts
        # too), and never back: a night shift's small hours on that day still belong to ``day``.
        next_day = day_start(day + _ONE_DAY, schedule.zone) - timedelta.resolution
        slot = next_slot(schedule, max(slot, next_day))
    return slot


def slot_is_off(schedule: WorkSchedule, slot: datetime, days_off: DaysOff) -> bool:
    """Whether ``slot``'s work day is one of the person's days off, on their own clock."""
    return days_off.is_off(work_day_of(schedule, slot))


def week_spent_off(work_days: Iterable[int], day: date, days_off: DaysOff) -> bool:
    """Whether every work day of the ISO week holding ``day`` (Monday to Sunday) was a day off:
    then that week gets no weekly summary. A week with no work days at all was not spent off."""
    monday = day - timedelta(days=day.weekday())
    week = [monday + timedelta(days=weekday) for weekday in sorted(set(work_days))]
    return bool(week) and all(days_off.is_off(work_day) for work_day in week)


def _dates(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + offset * _ONE_DAY
