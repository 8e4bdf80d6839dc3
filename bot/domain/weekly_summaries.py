"""When a person's weekly summary is due: at the end of their last work day of each ISO week, on
their own clock — when that day's last window ends, which for a night shift is the next morning.
UTC in and UTC out, like `bot.domain.schedule`.

The tick finds who is due through `Person.weekly_summary_due_at` (indexed), so the column must
never be later than the next moment a summary not yet sent becomes due; being earlier only costs
the tick a look and a recompute. `plan_weekly_summary` sets it whenever the schedule may have
changed (settings saved, reminders turned on with a fresh profile, a `user_change` that moves the
person), and the tick advances it past each week it has handled. The one change it does not see
is a zone refreshed by delivery without a `user_change` event: moving west that only costs a
recompute; moving east, the summary comes later that evening by the difference, or not that week
if the difference passes midnight.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.domain.schedule import WorkSchedule, local_date, wall_instant


def week_summary_due_at(schedule: WorkSchedule, day: date) -> datetime:
    """When the summary of the ISO week holding the local date `day` is due: the end of the
    week's last work day, that wall time turned into an instant the way `bot.domain.schedule`
    turns a slot (fold=0: a repeated time's first pass, a time in a gap moved forward by the
    gap)."""
    last = max(schedule.work_days)
    last_work_day = day + timedelta(days=last - day.weekday())
    return wall_instant(schedule, last_work_day, schedule.pattern.day_end_seconds(last))


def summary_due_week(schedule: WorkSchedule, now: datetime) -> str | None:
    """The ISO week ("2026-W48") whose summary is due at `now`: from the end of the week's last
    work day until the local date it ends on is over. None outside that window."""
    today = local_date(schedule, now)
    for day in (today, today - timedelta(days=1)):  # a night shift ends the day after
        due = week_summary_due_at(schedule, day)
        if due <= now and local_date(schedule, due) == today:
            year, week, _ = day.isocalendar()
            return f"{year}-W{week:02d}"
    return None


def summary_day(schedule: WorkSchedule, week: str) -> date:
    """The day a summary of ``week`` ("2026-W48") speaks for: the week's last work day, even when
    a night shift makes the summary fall due the morning after."""
    year, _, number = week.partition("-W")
    return date.fromisocalendar(int(year), int(number), max(schedule.work_days) + 1)


def next_summary_due_at(schedule: WorkSchedule, now: datetime) -> datetime:
    """The first time a summary is due after `now`: for the tick, once it has dealt with this
    week (sent it, or found it not due yet)."""
    today = local_date(schedule, now)
    return next(
        due
        for due in (week_summary_due_at(schedule, today + timedelta(days=n)) for n in (-7, 0, 7))
        if due > now
    )


def current_summary_due_at(schedule: WorkSchedule, now: datetime) -> datetime:
    """When this week's summary is due, even if that was earlier today (the tick then sends it,
    unless it already went); next week's once the local date it was due on is over."""
    today = local_date(schedule, now)
    return next(
        due
        for due in (week_summary_due_at(schedule, today + timedelta(days=n)) for n in (-7, 0, 7))
        if local_date(schedule, due) >= today
    )
