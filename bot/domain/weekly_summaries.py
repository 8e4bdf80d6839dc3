"""When a person's weekly summary is due: at the end of their last work day of each ISO week, on
their own clock. UTC in and UTC out, like `bot.domain.schedule`.

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

from datetime import UTC, date, datetime, timedelta

from bot.domain.schedule import WorkSchedule, local_date


def week_summary_due_at(schedule: WorkSchedule, day: date) -> datetime:
    """When the summary of the ISO week holding the local date `day` is due: the end of the
    week's last work day, that wall time turned into an instant the way `bot.domain.schedule`
    turns a slot (fold=0: a repeated time's first pass, a time in a gap moved forward by the
    gap)."""
    last_work_day = day + timedelta(days=max(schedule.work_days) - day.weekday())
    return datetime.combine(last_work_day, schedule.end, tzinfo=schedule.zone).astimezone(UTC)


def summary_due_week(schedule: WorkSchedule, now: datetime) -> str | None:
    """The ISO week ("2026-W48") whose summary is due at `now`: from the end of the week's last
    work day until that local date is over. None outside that window."""
    today = local_date(schedule, now)
    if today.weekday() != max(schedule.work_days) or now < week_summary_due_at(schedule, today):
        return None
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def next_summary_due_at(schedule: WorkSchedule, now: datetime) -> datetime:
    """The first time a summary is due after `now`: for the tick, once it has dealt with this
    week (sent it, or found it not due yet)."""
    today = local_date(schedule, now)
    this_week = week_summary_due_at(schedule, today)
    return this_week if this_week > now else week_summary_due_at(schedule, today + timedelta(7))


def current_summary_due_at(schedule: WorkSchedule, now: datetime) -> datetime:
    """When this week's summary is due, even if that was earlier today (the tick then sends it,
    unless it already went); next week's once this week's last work day is over."""
    today = local_date(schedule, now)
    if today.weekday() > max(schedule.work_days):
        today += timedelta(days=7)
    return week_summary_due_at(schedule, today)
