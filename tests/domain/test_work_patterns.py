"""Work patterns: the model and its checks, the typed forms (`/stretch hours`, a Settings row),
and hypothesis properties of the slots they make — split shifts, night shifts across midnight,
odd zones (Lord Howe's 30-minute DST, Kathmandu's +05:45, zones that switch at midnight) — and of
the daily cap, which counts a night shift's small hours for the evening it started."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.db.models import Person
from bot.db.people import pattern_from_stored, preference_columns, schedule_for, stored_pattern
from bot.domain.hours_text import parse_week, parse_windows
from bot.domain.preferences import Preferences
from bot.domain.schedule import (
    INTERVAL_CHOICES,
    WorkSchedule,
    is_work_time,
    next_slot,
    slots_between,
    work_day_end,
    work_day_of,
)
from bot.domain.weekly_summaries import (
    current_summary_due_at,
    next_summary_due_at,
    summary_due_week,
    week_summary_due_at,
)
from bot.domain.work_pattern import (
    Window,
    WorkPattern,
    WorkPatternError,
    describe_pattern,
    describe_week,
)
from bot.jobs.nudge_rules import PlanningRules, decide

ODD_ZONES = (
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/Santiago",
    "America/Asuncion",
    "America/Havana",
    "Asia/Beirut",
    "America/New_York",
    "Europe/Berlin",
    "Pacific/Chatham",
    "Pacific/Apia",
    "UTC",
)
OFF = ()


def w(start: str, end: str) -> Window:
    return Window(time.fromisoformat(start), time.fromisoformat(end))


def week(**days: tuple[Window, ...]) -> WorkPattern:
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return WorkPattern(tuple(days.get(name, OFF) for name in names))


# --- the model ---------------------------------------------------------------------------------


def test_a_split_shift_and_a_night_shift() -> None:
    pattern = week(mon=(w("15:00", "19:00"), w("07:00", "11:00")), fri=(w("22:00", "06:00"),))
    assert pattern.days[0] == (w("07:00", "11:00"), w("15:00", "19:00"))  # sorted
    assert pattern.work_days == frozenset({0, 4})
    assert pattern.days[4][0].crosses_midnight
    assert pattern.day_end_seconds(4) == 30 * 3600
    assert describe_pattern(pattern) == "Mon 07:00–11:00, 15:00–19:00; Fri 22:00–06:00"


BAD_PATTERNS = {
    "overlap": (dict(mon=(w("09:00", "12:00"), w("11:00", "13:00"))), "overlaps", 0),
    "four windows": (
        dict(
            tue=(w("07:00", "08:00"), w("09:00", "10:00"), w("11:00", "12:00"), w("13:00", "14:00"))
        ),
        "up to 3",
        1,
    ),
    "night into the morning": (
        dict(sun=(w("22:00", "07:00"),), mon=(w("06:00", "09:00"),)),
        "Sunday's 22:00–07:00 runs into Monday's 06:00–09:00",
        0,
    ),
    "a window after a night": (dict(mon=(w("22:00", "02:00"), w("23:00", "23:30"))), "overlaps", 0),
    "no hours at all": ({}, "at least one day", None),
}


@pytest.mark.parametrize(("days", "message", "weekday"), BAD_PATTERNS.values(), ids=BAD_PATTERNS)
def test_impossible_patterns_are_refused_naming_the_day(days, message, weekday) -> None:
    with pytest.raises(WorkPatternError, match=message) as refused:
        week(**days)
    assert refused.value.weekday == weekday


def test_a_window_needs_a_length() -> None:
    with pytest.raises(WorkPatternError, match="no length"):
        w("09:00", "09:00")


def test_a_night_may_end_exactly_when_the_next_day_starts() -> None:
    assert week(sun=(w("22:00", "06:00"),), mon=(w("06:00", "14:00"),)).work_days == {0, 6}


def test_stored_form_round_trips() -> None:
    pattern = week(mon=(w("07:00", "11:00"), w("15:00", "19:00")), sat=(w("22:00", "00:00"),))
    text = stored_pattern(pattern)
    assert text == "07:00-11:00,15:00-19:00;;;;;22:00-00:00;"
    assert pattern_from_stored(text) == pattern


# --- typed forms -------------------------------------------------------------------------------


WEEKS = {
    "the issue's example": (
        "mon-thu 9-12:30,13:30-17 fri 9-13",
        "Mon–Thu 09:00–12:30, 13:30–17:00; Fri 09:00–13:00",
    ),
    "spaces, dashes and am/pm": (
        "Weekdays 9am - 5:30 pm",
        "Weekdays 09:00–17:30",
    ),
    "lists and a wrapping range": (
        "mon,wed 8-16 fri-sun 22-6",
        "Mon, Wed 08:00–16:00; Fri–Sun 22:00–06:00",
    ),
    "weekends and midnight as 24": ("weekends 18-24", "Sat, Sun 18:00–00:00"),
    "commas between groups and a colon": (
        "mon: 9-12, tue 10-14",
        "Mon 09:00–12:00; Tue 10:00–14:00",
    ),
    "explicit off": ("weekdays 9.30-17 sat off", "Weekdays 09:30–17:00"),
}


@pytest.mark.parametrize(("text", "described"), WEEKS.values(), ids=WEEKS)
def test_weeks_as_typed(text: str, described: str) -> None:
    assert describe_pattern(parse_week(text)) == described


BAD_WEEKS = {
    "no days": ("9-17", "Say which days “9-17” is for"),
    "unknown day": ("mon-frii 9-17", "“mon-frii” as days or hours"),
    "days without hours": ("mon 9-17 fri", "No hours after Friday"),
    "hour 25": ("mon 9-25", "“25” in “9-25” is not a time of day"),
    "no end": ("mon 9", "“9” as hours"),
    "1330": ("tue 9-12,1330-17", "“1330” in “1330-17”"),
    "13pm": ("tue 9-13pm", "with am/pm the hour is 1 to 12"),
    "named twice": ("mon-fri 9-17 fri 9-13", "Friday is named twice"),
    "nothing": ("off", "Say which days"),
}


@pytest.mark.parametrize(("text", "message"), BAD_WEEKS.values(), ids=BAD_WEEKS)
def test_unreadable_weeks_name_the_part(text: str, message: str) -> None:
    with pytest.raises(WorkPatternError, match=message):
        parse_week(text)


def test_a_row_of_the_settings_modal() -> None:
    assert parse_windows("  ") == ()
    assert parse_windows("9-12:30, 13:30-17") == (w("09:00", "12:30"), w("13:30", "17:00"))
    assert describe_week(week(mon=parse_windows("22–6")))[:2] == [
        "Monday: 22:00–06:00",
        "Tuesday: off",
    ]


# --- the schedule on a pattern ----------------------------------------------------------------


def local(tz: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def test_split_shift_slots_and_the_end_of_each_window() -> None:
    sched = WorkSchedule("Europe/Berlin", week(mon=(w("07:00", "09:00"), w("15:00", "17:00"))), 60)
    monday = local("Europe/Berlin", 2026, 11, 30, 0)
    slots = list(slots_between(sched, monday, monday + timedelta(days=1)))
    assert [s.astimezone(sched.zone).strftime("%H:%M") for s in slots] == ["08:00", "16:00"]
    assert not is_work_time(sched, local("Europe/Berlin", 2026, 11, 30, 12))
    assert work_day_end(sched, local("Europe/Berlin", 2026, 11, 30, 8)) == local(
        "Europe/Berlin", 2026, 11, 30, 9
    )


def test_a_night_shift_belongs_to_the_evening_it_starts() -> None:
    sched = WorkSchedule("Europe/Berlin", week(fri=(w("22:00", "02:00"),)), 60)
    saturday_1am = local("Europe/Berlin", 2026, 12, 5, 1)
    assert work_day_of(sched, saturday_1am) == date(2026, 12, 4)
    assert next_slot(sched, local("Europe/Berlin", 2026, 12, 5, 0, 30)) == saturday_1am
    assert work_day_end(sched, saturday_1am) == local("Europe/Berlin", 2026, 12, 5, 2)
    # The week's summary comes when Friday's shift ends, on Saturday, for the week of Friday.
    assert week_summary_due_at(sched, date(2026, 12, 1)) == local("Europe/Berlin", 2026, 12, 5, 2)
    assert summary_due_week(sched, local("Europe/Berlin", 2026, 12, 5, 3)) == "2026-W49"


@st.composite
def day_windows(draw: st.DrawFn) -> tuple[Window, ...]:
    """Up to three windows on a quarter-hour grid, the last possibly across midnight."""
    count = draw(st.integers(0, 3))
    points = sorted(
        draw(st.lists(st.integers(0, 95), min_size=2 * count, max_size=2 * count, unique=True))
    )
    windows = [Window(_quarter(points[2 * i]), _quarter(points[2 * i + 1])) for i in range(count)]
    if windows and draw(st.booleans()):  # the last one runs past midnight instead
        last = windows[-1]
        windows[-1] = Window(last.start, _quarter(draw(st.integers(0, points[-2] // 2))))
    return tuple(windows)


def _quarter(n: int) -> time:
    return time(n // 4, n % 4 * 15)


@st.composite
def pattern_schedules(draw: st.DrawFn) -> WorkSchedule:
    try:
        pattern = WorkPattern(tuple(draw(day_windows()) for _ in range(7)))
    except WorkPatternError:
        assume(False)
    interval = draw(st.sampled_from(INTERVAL_CHOICES))
    lunch = draw(st.none() | st.tuples(st.integers(0, 94), st.integers(1, 8)))
    lunch_times = {}
    if lunch is not None:
        lunch_times = {
            "lunch_start": _quarter(lunch[0]),
            "lunch_end": _quarter(min(lunch[0] + lunch[1], 95)),
        }
    tz = draw(st.sampled_from(ODD_ZONES) | st.timezones().map(lambda zone: zone.key))
    try:
        return WorkSchedule(
            tz,
            pattern,
            interval,
            offset_seconds=draw(st.integers(0, interval * 60 - 1)),
            **lunch_times,
        )
    except ValueError:
        assume(False)
        raise


STARTS = st.datetimes(
    min_value=datetime(2015, 1, 1),  # noqa: DTZ001 — hypothesis takes naive bounds
    max_value=datetime(2035, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def inside_a_window_by_the_wall_clock(sched: WorkSchedule, slot: datetime) -> bool:
    """Checked from the definition: the naive local wall time lies in a window of its own date
    or in a night window of the day before."""
    wall = slot.astimezone(sched.zone).replace(tzinfo=None, fold=0)
    for day in (wall.date(), wall.date() - timedelta(days=1)):
        for window in sched.pattern.days[day.weekday()]:
            start = datetime.combine(day, window.start)
            end = start + timedelta(seconds=window.end_seconds - window.start_seconds)
            if start <= wall < end:
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(sched=pattern_schedules(), start=STARTS)
def test_every_slot_is_work_time_in_order_and_unique(sched: WorkSchedule, start: datetime) -> None:
    slots = list(slots_between(sched, start, start + timedelta(days=9)))
    assert slots, "every pattern with a slot has one within nine days"
    assert all(slot.tzinfo is UTC for slot in slots)
    assert all(a < b for a, b in pairwise(slots))
    for slot in slots:
        assert inside_a_window_by_the_wall_clock(sched, slot)
        assert is_work_time(sched, slot)
        wall = slot.astimezone(sched.zone).time()
        if sched.lunch_start is not None:
            assert not sched.lunch_start <= wall < sched.lunch_end
    assert next_slot(sched, start) == slots[0]
    for earlier, later in pairwise(slots):
        assert next_slot(sched, earlier) == later


def transient_person(sched: WorkSchedule) -> Person:
    prefs = Preferences(
        sched.pattern, sched.interval_minutes, "office", sched.lunch_start, sched.lunch_end
    )
    return Person(
        id=1, workspace_id=1, slack_user_id="U1", tz=sched.tz, **preference_columns(prefs)
    )


@settings(max_examples=100, deadline=None)
@given(sched=pattern_schedules(), start=STARTS, cap=st.integers(1, 4))
def test_the_daily_cap_holds_per_work_day(sched: WorkSchedule, start: datetime, cap: int) -> None:
    person = transient_person(sched)
    planned: list[SimpleNamespace] = []
    rules = PlanningRules(daily_cap=cap)
    for slot in slots_between(schedule_for(person), start, start + timedelta(days=4)):
        recent = [n for n in reversed(planned) if n.slot_at > slot - timedelta(hours=49)]
        if decide(person, slot, slot, recent, rules):
            planned.append(
                SimpleNamespace(slot_at=slot, status="sent", kind="scheduled", outcome="done")
            )
    schedule = schedule_for(person)
    per_day: dict[date, int] = {}
    for nudge in planned:
        day = work_day_of(schedule, nudge.slot_at)
        per_day[day] = per_day.get(day, 0) + 1
    assert all(count <= cap for count in per_day.values())


@settings(max_examples=200, deadline=None)
@given(sched=pattern_schedules(), now=STARTS, share=st.floats(0, 1, exclude_max=True))
def test_weekly_summaries_on_any_pattern_are_never_missed(sched, now, share) -> None:
    """Between handling a person at `now` and the due time stored next, no other week's summary
    falls due — night shifts that end on Monday morning included — and a save while one is due
    keeps it due."""
    following = next_summary_due_at(sched, now)
    assert now < following <= now + timedelta(days=9)
    between = now + (following - now - timedelta(microseconds=1)) * share
    assert summary_due_week(sched, between) in (None, summary_due_week(sched, now))
    if summary_due_week(sched, now) is not None:
        assert current_summary_due_at(sched, now) <= now
    else:
        assert current_summary_due_at(sched, now) == following
