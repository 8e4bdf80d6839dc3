"""When a week's summary is due, without a database: in any zone (DST weeks, odd offsets), the
stored due time is never later than the next summary not yet sent, and the rule is the one the
tick step used before the column existed. The step itself is tested in
tests/integration/test_weekly_summaries.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.schedule import WorkSchedule, local_date, work_day_end
from bot.domain.weekly_summaries import (
    current_summary_due_at,
    next_summary_due_at,
    summary_due_week,
    week_summary_due_at,
)
from bot.domain.work_pattern import WorkPattern

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"
WEEKDAYS = frozenset(range(5))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def schedule(
    tz: str = BERLIN,
    work_days: frozenset[int] = WEEKDAYS,
    start: time = time(9),
    end: time = time(17),
) -> WorkSchedule:
    return WorkSchedule(tz, WorkPattern.every(work_days, start, end), interval_minutes=60)


# --- when a week's summary is due --------------------------------------------------------------

# (schedule, a local date in the week, when that week's summary is due)
DUE_CASES = {
    "Berlin, Friday 17:00 (CET)": (schedule(), date(2026, 11, 24), utc(2026, 11, 27, 16)),
    "Berlin, the week before clocks go back (CEST)": (
        schedule(),
        date(2026, 10, 19),
        utc(2026, 10, 23, 15),
    ),
    "Berlin, the week clocks go back (Sunday)": (
        schedule(),
        date(2026, 10, 26),
        utc(2026, 10, 30, 16),
    ),
    "asked on the last work day itself": (schedule(), date(2026, 11, 27), utc(2026, 11, 27, 16)),
    "asked on the Sunday after: still that ISO week": (
        schedule(),
        date(2026, 11, 29),
        utc(2026, 11, 27, 16),
    ),
    "New York, Sundays, 01:30 passes twice: the first": (
        schedule(NEW_YORK, frozenset({6}), time(0), time(1, 30)),
        date(2026, 10, 28),
        utc(2026, 11, 1, 5, 30),
    ),
    "New York, Sundays, 02:30 never happens: moved on by the gap": (
        schedule(NEW_YORK, frozenset({6}), time(0), time(2, 30)),
        date(2026, 3, 2),
        utc(2026, 3, 8, 7, 30),
    ),
    "Kathmandu (+05:45), Monday to Thursday": (
        schedule("Asia/Kathmandu", frozenset(range(4)), end=time(16)),
        date(2026, 6, 1),
        utc(2026, 6, 4, 10, 15),
    ),
    "Chatham (+13:45 in summer)": (
        schedule("Pacific/Chatham"),
        date(2026, 1, 5),
        utc(2026, 1, 9, 3, 15),
    ),
    "Kiritimati (+14): Saturday noon is Friday in UTC": (
        schedule("Pacific/Kiritimati", frozenset(range(6)), end=time(12)),
        date(2026, 6, 1),
        utc(2026, 6, 5, 22),
    ),
}


@pytest.mark.parametrize(("plan", "day", "due"), DUE_CASES.values(), ids=DUE_CASES.keys())
def test_when_a_weeks_summary_is_due(plan: WorkSchedule, day: date, due: datetime) -> None:
    assert week_summary_due_at(plan, day) == due
    assert summary_due_week(plan, due) is not None
    assert summary_due_week(plan, due - timedelta(seconds=1)) is None


def test_due_from_the_end_of_the_last_work_day_until_that_day_is_over() -> None:
    plan = schedule()
    friday_end = utc(2026, 11, 27, 16)  # 17:00 in Berlin
    assert summary_due_week(plan, friday_end - timedelta(minutes=1)) is None
    assert summary_due_week(plan, friday_end) == "2026-W48"
    assert summary_due_week(plan, utc(2026, 11, 27, 22, 59)) == "2026-W48"
    assert summary_due_week(plan, utc(2026, 11, 27, 23)) is None  # Saturday in Berlin
    assert summary_due_week(plan, utc(2026, 11, 26, 20)) is None  # Thursday evening


def test_the_next_due_time_skips_the_week_being_handled() -> None:
    plan = schedule()
    friday_end, next_friday_end = utc(2026, 11, 27, 16), utc(2026, 12, 4, 16)
    assert next_summary_due_at(plan, utc(2026, 11, 24, 10)) == friday_end
    assert next_summary_due_at(plan, friday_end) == next_friday_end
    assert next_summary_due_at(plan, utc(2026, 11, 28, 10)) == next_friday_end
    # Settings saved in the evening the summary is due keep this week's time, so it still goes.
    assert current_summary_due_at(plan, utc(2026, 11, 27, 18)) == friday_end
    assert current_summary_due_at(plan, utc(2026, 11, 28, 10)) == next_friday_end


@st.composite
def schedules(draw: st.DrawFn) -> WorkSchedule:
    start = draw(st.integers(min_value=0, max_value=22 * 60))
    end = draw(st.integers(min_value=start + 61, max_value=24 * 60 - 1))
    work_days = draw(st.frozensets(st.integers(min_value=0, max_value=6), min_size=1))
    return WorkSchedule(
        tz=draw(st.timezones()).key,
        pattern=WorkPattern.every(
            work_days, time(start // 60, start % 60), time(end // 60, end % 60)
        ),
        interval_minutes=60,
    )


instants = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 — hypothesis takes naive bounds
    max_value=datetime(2060, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@settings(max_examples=300)
@given(plan=schedules(), now=instants, share=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_no_other_weeks_summary_falls_due_before_the_next_due_time(plan, now, share) -> None:
    """What keeps the column safe: between the tick handling a person at `now` and the time it
    stores, no summary of another week becomes due, so none is missed."""
    following = next_summary_due_at(plan, now)
    assert now < following <= now + timedelta(days=8, hours=2)
    today = local_date(plan, now)
    weeks_due = [week_summary_due_at(plan, today + timedelta(days=d)) for d in (-7, 0, 7)]
    between = now + (following - now - timedelta(microseconds=1)) * share
    for moment in [between, *(due for due in weeks_due if now < due < following)]:
        assert summary_due_week(plan, moment) in (None, summary_due_week(plan, now))


@settings(max_examples=300)
@given(plan=schedules(), now=instants)
def test_settings_keep_a_summary_due_this_evening(plan, now) -> None:
    """A save in the evening the summary is due keeps it due; otherwise the next one's time."""
    if summary_due_week(plan, now) is not None:
        assert current_summary_due_at(plan, now) <= now
    else:
        assert current_summary_due_at(plan, now) == next_summary_due_at(plan, now)


def rule_before_the_column(plan: WorkSchedule, now: datetime) -> str | None:
    """How the step decided before `weekly_summary_due_at` existed (kept to compare with)."""
    today = local_date(plan, now)
    if today.weekday() != max(plan.work_days) or work_day_end(plan, now) is not None:
        return None
    if now.astimezone(plan.zone).time() < plan.pattern.days[today.weekday()][-1].end:
        return None
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


@settings(max_examples=300)
@given(plan=schedules(), now=instants)
def test_the_same_rule_as_before_away_from_clock_changes(plan, now) -> None:
    """They differ only around a clock change at the end of the day (the old rule read the wall
    clock; the new one turns the end into an instant like a slot, see the cases above)."""
    offsets = {(now + timedelta(hours=h)).astimezone(plan.zone).utcoffset() for h in range(-48, 49)}
    if len(offsets) == 1:
        assert summary_due_week(plan, now) == rule_before_the_column(plan, now)
