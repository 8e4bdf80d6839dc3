"""Tests for bot.domain.progress (streaks, totals, local days, chart data) and bot.blocks.stats
(the stats message, the App Home blocks and the Friday summary), all pure: no database, no Slack.

Streak rule under test (see bot.domain.progress): a streak counts the days with a Done; only a
work day that is over, not paused and without a Done breaks it. So the current streak never
exceeds the unpaused work days in range plus the Done rest days (non-work or paused), and adding a
Done or a paused day never lowers a streak.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.stats import (
    EMPTY_STATE,
    progress_blocks,
    stats_message,
    weekly_summary_message,
)
from bot.domain.progress import (
    DoneEvent,
    NudgeEvent,
    PausedSpan,
    ProgressView,
    Streaks,
    Totals,
    WeekComparison,
    compare_weeks,
    done_rate,
    favourites,
    last_4_weeks,
    last_7_days,
    local_days,
    paused_dates,
    progress_view,
    streaks,
    totals,
)
from tests.support.slack_limits import message_problems

WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))
SUN_TO_THU = frozenset({6, 0, 1, 2, 3})
BERLIN = "Europe/Berlin"
NY = "America/New_York"


def mar(day: int) -> date:
    """A date in March 2026, which starts on a Sunday: Mondays are the 2nd, 9th, 16th, ..."""
    return date(2026, 3, day)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def local(tz: str, y: int, mo: int, d: int, h: int = 0, mi: int = 0, fold: int = 0) -> datetime:
    """A wall time in ``tz`` as a UTC instant."""
    return datetime(y, mo, d, h, mi, fold=fold, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def done(at: datetime, activity_id: str = "neck-roll") -> DoneEvent:
    return DoneEvent(at=at, activity_id=activity_id, source="command")


# --- streaks -------------------------------------------------------------------------------------

# (done days, work days, today, paused days, (current, best))
STREAK_CASES = {
    "no history": ((), WEEKDAYS, mar(11), (), (0, 0)),
    "today done": ((11,), WEEKDAYS, mar(11), (), (1, 1)),
    "today not yet done keeps yesterday's streak": ((9, 10), WEEKDAYS, mar(11), (), (2, 2)),
    "a missed work day that is over breaks it": ((9,), WEEKDAYS, mar(11), (), (0, 1)),
    "done today after a missed yesterday restarts": ((9, 11), WEEKDAYS, mar(11), (), (1, 1)),
    "across a weekend": ((5, 6, 9), WEEKDAYS, mar(9), (), (3, 3)),
    "across a weekend, Monday still open": ((5, 6), WEEKDAYS, mar(9), (), (2, 2)),
    "a Done on Saturday extends": ((6, 7, 9), WEEKDAYS, mar(9), (), (3, 3)),
    "Dones all weekend extend": ((5, 6, 7, 8, 9), WEEKDAYS, mar(9), (), (5, 5)),
    "a weekend Done does not mend a missed Friday": ((5, 7, 9), WEEKDAYS, mar(9), (), (2, 2)),
    "a gap mid-week": ((2, 3, 5, 6), WEEKDAYS, mar(6), (), (2, 2)),
    "best outlives current": ((2, 3, 4, 5, 6, 10), WEEKDAYS, mar(10), (), (1, 5)),
    "paused days bridge": ((5, 10), WEEKDAYS, mar(10), (6, 9), (2, 2)),
    "a Done on a paused day extends": ((5, 6, 9), WEEKDAYS, mar(9), (6,), (3, 3)),
    "a paused weekend changes nothing": ((6, 9), WEEKDAYS, mar(9), (7, 8), (2, 2)),
    "own work days: Sunday to Thursday": ((5, 8), SUN_TO_THU, mar(8), (), (2, 2)),
    "own work days: Friday is a work day for others": ((5, 8), WEEKDAYS, mar(9), (), (1, 1)),
    "every day a work day: Saturday breaks": ((6, 9), EVERY_DAY, mar(9), (), (1, 1)),
    "Dones after today are ignored": ((11, 12, 13), WEEKDAYS, mar(11), (), (1, 1)),
}


@pytest.mark.parametrize(
    ("done_days", "work_days", "today", "paused", "expected"),
    STREAK_CASES.values(),
    ids=STREAK_CASES.keys(),
)
def test_streaks(done_days, work_days, today, paused, expected) -> None:
    result = streaks({mar(d) for d in done_days}, work_days, today, {mar(d) for d in paused})
    assert result == Streaks(*expected)


def test_a_streak_across_a_month_boundary() -> None:
    days = [date(2026, 2, 23) + timedelta(days=n) for n in range(12)]
    weekdays = [day for day in days if day.weekday() < 5]  # Feb 23 to Mar 6, weekends left out
    assert streaks(weekdays, WEEKDAYS, mar(6)) == Streaks(current=10, best=10)


def test_streaks_take_a_local_days_counter() -> None:
    days = Counter({mar(10): 3, mar(11): 1})
    assert streaks(days, WEEKDAYS, mar(11)) == Streaks(current=2, best=2)


TODAY = mar(13)
day_offsets = st.sets(st.integers(min_value=-60, max_value=3))
work_day_sets = st.frozensets(st.integers(min_value=0, max_value=6))


def days_from(offsets: set[int]) -> set[date]:
    return {TODAY + timedelta(days=offset) for offset in offsets}


def reference_current(done: set[date], work_days: frozenset[int], paused: set[date]) -> int:
    """The current streak by the rule's words: walk back from today, count Done days, skip rest
    days and today, stop at the first other day without a Done."""
    count, day = 0, TODAY
    while day >= min(done, default=TODAY):
        if day in done:
            count += 1
        elif day != TODAY and day.weekday() in work_days and day not in paused:
            break
        day -= timedelta(days=1)
    return count


@given(day_offsets, work_day_sets, day_offsets)
def test_current_streak_follows_the_rule(done_offsets, work_days, paused_offsets) -> None:
    done, paused = days_from(done_offsets), days_from(paused_offsets)
    current = streaks(done, work_days, TODAY, paused).current
    assert current == reference_current(done, work_days, paused)


@given(day_offsets, work_day_sets, day_offsets)
def test_current_never_exceeds_work_days_plus_done_rest_days(
    done_offsets, work_days, paused_offsets
) -> None:
    done, paused = days_from(done_offsets), days_from(paused_offsets)
    past_done = {day for day in done if day <= TODAY}
    first = min(past_done, default=TODAY)
    in_range = [first + timedelta(days=n) for n in range((TODAY - first).days + 1)]
    work = {day for day in in_range if day.weekday() in work_days and day not in paused}
    done_rest_days = past_done - work
    result = streaks(done, work_days, TODAY, paused)
    assert result.current <= len(work) + len(done_rest_days)
    assert result.current <= len(past_done)
    assert result.best >= result.current


@given(day_offsets, work_day_sets, day_offsets, st.integers(min_value=-60, max_value=3))
def test_adding_a_done_never_lowers_a_streak(
    done_offsets, work_days, paused_offsets, extra
) -> None:
    done, paused = days_from(done_offsets), days_from(paused_offsets)
    before = streaks(done, work_days, TODAY, paused)
    after = streaks(done | days_from({extra}), work_days, TODAY, paused)
    assert after.current >= before.current
    assert after.best >= before.best


@given(day_offsets, work_day_sets, day_offsets, day_offsets)
def test_pausing_never_lowers_a_streak(done_offsets, work_days, paused_offsets, more) -> None:
    done, paused = days_from(done_offsets), days_from(paused_offsets)
    before = streaks(done, work_days, TODAY, paused)
    after = streaks(done, work_days, TODAY, paused | days_from(more))
    assert after.current >= before.current
    assert after.best >= before.best


# --- local days ----------------------------------------------------------------------------------

# (zone, instant, local date it counts for)
LOCAL_DAY_CASES = {
    "New York, 23:30 before the spring gap": (NY, utc(2026, 3, 8, 4, 30), mar(7)),
    "New York, 00:30 on the spring-forward day": (NY, utc(2026, 3, 8, 5, 30), mar(8)),
    "New York, 03:30 just after the gap": (NY, utc(2026, 3, 8, 7, 30), mar(8)),
    "New York, 23:30 on the 23-hour day": (NY, utc(2026, 3, 9, 3, 30), mar(8)),
    "New York, 00:30 after the 23-hour day": (NY, utc(2026, 3, 9, 4, 30), mar(9)),
    "New York, 23:30 before fall back": (NY, utc(2026, 11, 1, 3, 30), date(2026, 10, 31)),
    "New York, first 01:30 (EDT)": (NY, utc(2026, 11, 1, 5, 30), date(2026, 11, 1)),
    "New York, second 01:30 (EST)": (NY, utc(2026, 11, 1, 6, 30), date(2026, 11, 1)),
    "New York, 23:30 on the 25-hour day": (NY, utc(2026, 11, 2, 4, 30), date(2026, 11, 1)),
    "New York, 00:30 after the 25-hour day": (NY, utc(2026, 11, 2, 5, 30), date(2026, 11, 2)),
    "Lord Howe summer (+11), 23:30": (
        "Australia/Lord_Howe",
        utc(2026, 1, 15, 12, 30),
        date(2026, 1, 15),
    ),
    "Lord Howe summer (+11), 00:30": (
        "Australia/Lord_Howe",
        utc(2026, 1, 15, 13, 30),
        date(2026, 1, 16),
    ),
    "Lord Howe winter (+10:30), 23:30": (
        "Australia/Lord_Howe",
        utc(2026, 7, 15, 13, 0),
        date(2026, 7, 15),
    ),
    "Lord Howe winter (+10:30), 00:30": (
        "Australia/Lord_Howe",
        utc(2026, 7, 15, 14, 0),
        date(2026, 7, 16),
    ),
    "Kathmandu (+05:45), 23:30": ("Asia/Kathmandu", utc(2026, 6, 1, 17, 45), date(2026, 6, 1)),
    "Kathmandu (+05:45), 00:30": ("Asia/Kathmandu", utc(2026, 6, 1, 18, 45), date(2026, 6, 2)),
    "Kiritimati (+14), a day ahead of UTC": (
        "Pacific/Kiritimati",
        utc(2026, 1, 1, 10, 30),
        date(2026, 1, 2),
    ),
    "Berlin, 23:30 local is still today": (BERLIN, utc(2026, 6, 1, 21, 30), date(2026, 6, 1)),
    "Berlin, 00:30 local is tomorrow while UTC says today": (
        BERLIN,
        utc(2026, 6, 1, 22, 30),
        date(2026, 6, 2),
    ),
}


@pytest.mark.parametrize(
    ("tz", "at", "expected"), LOCAL_DAY_CASES.values(), ids=LOCAL_DAY_CASES.keys()
)
def test_local_day_of_a_done(tz: str, at: datetime, expected: date) -> None:
    assert local_days([done(at)], tz) == Counter({expected: 1})


def test_the_wall_clock_decides_the_day() -> None:
    evening = local("Asia/Kathmandu", 2026, 6, 1, 23, 30)
    after_midnight = local("Asia/Kathmandu", 2026, 6, 2, 0, 30)
    assert evening.date() == after_midnight.date()  # the same UTC date...
    days = local_days([done(evening), done(after_midnight)], "Asia/Kathmandu")
    assert days == Counter({date(2026, 6, 1): 1, date(2026, 6, 2): 1})  # ...two local dates


def test_both_passes_of_a_repeated_hour_count_for_one_day() -> None:
    first = local(NY, 2026, 11, 1, 1, 30, fold=0)
    second = local(NY, 2026, 11, 1, 1, 30, fold=1)
    assert second - first == timedelta(hours=1)
    assert local_days([done(first), done(second)], NY) == Counter({date(2026, 11, 1): 2})


def test_local_days_accepts_any_aware_zone_as_input() -> None:
    at = datetime(2026, 6, 2, 0, 30, tzinfo=ZoneInfo("Asia/Kathmandu"))
    assert local_days([done(at)], BERLIN) == Counter({date(2026, 6, 1): 1})


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 6, 1, 12)  # noqa: DTZ001 — the point of the test
    with pytest.raises(ValueError, match="aware"):
        local_days([done(naive)], BERLIN)
    with pytest.raises(ValueError, match="aware"):
        paused_dates([PausedSpan(naive, naive + timedelta(hours=1))], BERLIN)


@given(
    st.lists(
        st.datetimes(
            min_value=datetime(1900, 1, 1),  # noqa: DTZ001 — hypothesis takes naive bounds
            max_value=datetime(2200, 1, 1),  # noqa: DTZ001
            timezones=st.timezones(),
        )
    ),
    st.timezones(),
)
def test_local_days_counts_every_done_once(instants, zone) -> None:
    days = local_days([done(at) for at in instants], zone.key)
    assert days.total() == len(instants)


# --- paused days ---------------------------------------------------------------------------------

PAUSE_CASES = {
    "Friday afternoon to Monday midnight: Monday not touched": (
        BERLIN,
        local(BERLIN, 2026, 3, 6, 15),
        local(BERLIN, 2026, 3, 9),
        {mar(6), mar(7), mar(8)},
    ),
    "ending a second into Monday touches Monday": (
        BERLIN,
        local(BERLIN, 2026, 3, 6, 15),
        local(BERLIN, 2026, 3, 9) + timedelta(seconds=1),
        {mar(6), mar(7), mar(8), mar(9)},
    ),
    "thirty minutes excuse the day": (
        BERLIN,
        local(BERLIN, 2026, 3, 10, 14),
        local(BERLIN, 2026, 3, 10, 14, 30),
        {mar(10)},
    ),
    "overnight across the spring gap": (
        NY,
        local(NY, 2026, 3, 7, 22),
        local(NY, 2026, 3, 8, 4),
        {mar(7), mar(8)},
    ),
    "the same instants in Kathmandu fall on other dates": (
        "Asia/Kathmandu",
        utc(2026, 3, 10, 17, 0),
        utc(2026, 3, 10, 19, 0),
        {mar(10), mar(11)},
    ),
    "an empty span covers nothing": (
        BERLIN,
        local(BERLIN, 2026, 3, 10, 14),
        local(BERLIN, 2026, 3, 10, 14),
        set(),
    ),
    "a backwards span covers nothing": (
        BERLIN,
        local(BERLIN, 2026, 3, 11),
        local(BERLIN, 2026, 3, 10),
        set(),
    ),
}


@pytest.mark.parametrize(
    ("tz", "start", "end", "expected"), PAUSE_CASES.values(), ids=PAUSE_CASES.keys()
)
def test_paused_dates(tz: str, start: datetime, end: datetime, expected: set[date]) -> None:
    assert paused_dates([PausedSpan(start, end)], tz) == expected


def test_paused_dates_unite_spans() -> None:
    spans = [
        PausedSpan(local(BERLIN, 2026, 3, 2, 9), local(BERLIN, 2026, 3, 2, 10)),
        PausedSpan(local(BERLIN, 2026, 3, 4, 9), local(BERLIN, 2026, 3, 6)),
    ]
    assert paused_dates(spans, BERLIN) == {mar(2), mar(4), mar(5)}


# --- totals, chart data, comparison --------------------------------------------------------------

# (done days, today, expected)
TOTALS_CASES = {
    "nothing": ({}, mar(11), Totals(0, 0, 0, 0)),
    "Sunday the 1st: the week began last month": (
        {date(2026, 2, 22): 1, date(2026, 2, 23): 2, date(2026, 2, 28): 3, mar(1): 4, mar(2): 5},
        mar(1),
        Totals(today=4, this_week=9, this_month=4, total=10),
    ),
    "Monday the 1st: week and month start together": (
        {date(2026, 5, 31): 2, date(2026, 6, 1): 1},
        date(2026, 6, 1),
        Totals(today=1, this_week=1, this_month=1, total=3),
    ),
    "New Year's Day: the week began last year": (
        {date(2025, 12, 28): 5, date(2025, 12, 29): 1, date(2025, 12, 31): 2, date(2026, 1, 1): 3},
        date(2026, 1, 1),
        Totals(today=3, this_week=6, this_month=3, total=11),
    ),
    "the last day of a month": (
        {mar(1): 1, mar(30): 1, mar(31): 2, date(2026, 4, 1): 7},
        mar(31),
        Totals(today=2, this_week=3, this_month=4, total=4),
    ),
}


@pytest.mark.parametrize(
    ("done_days", "today", "expected"), TOTALS_CASES.values(), ids=TOTALS_CASES.keys()
)
def test_totals(done_days, today, expected) -> None:
    assert totals(Counter(done_days), today) == expected


DONE_RATE_CASES = {
    "no nudges": ([], None),
    "only pending": ([None, None], None),
    "a snooze alone decides nothing": (["snoozed"], None),
    "snooze then done on the re-nudge is one of one": (["snoozed", "done"], 1.0),
    "mixed": (["done", "skipped", "ignored", "done", "snoozed", None], 0.5),
    "all ignored": (["ignored", "ignored", "ignored"], 0.0),
}


@pytest.mark.parametrize(("outcomes", "expected"), DONE_RATE_CASES.values(), ids=DONE_RATE_CASES)
def test_done_rate(outcomes, expected) -> None:
    nudges = [NudgeEvent(slot_at=utc(2026, 3, 10, 9), outcome=outcome) for outcome in outcomes]
    assert done_rate(nudges) == expected


def test_favourites_most_done_first_ties_alphabetically() -> None:
    ids = ["wrist", "neck", "neck", "hip", "wrist", "calf", "neck"]
    events = [done(utc(2026, 3, 10, 9), activity) for activity in ids]
    assert favourites(events) == [("neck", 3), ("wrist", 2), ("calf", 1)]
    assert favourites(events, n=1) == [("neck", 3)]
    assert favourites([]) == []


def test_last_7_days_ends_today() -> None:
    days = Counter({mar(4): 9, mar(5): 1, mar(11): 2, mar(12): 4})
    assert last_7_days(days, mar(11)) == [
        (mar(5), 1),
        (mar(6), 0),
        (mar(7), 0),
        (mar(8), 0),
        (mar(9), 0),
        (mar(10), 0),
        (mar(11), 2),
    ]


@pytest.mark.parametrize("today", [mar(9), mar(11), mar(15)], ids=["Monday", "Wednesday", "Sunday"])
def test_last_4_weeks_are_monday_first_rows_ending_this_week(today: date) -> None:
    days = Counter({mar(2): 1, mar(9): 2, date(2026, 2, 16): 3, date(2026, 2, 15): 8})
    weeks = last_4_weeks(days, today)
    assert len(weeks) == 4
    assert all(len(week) == 7 and week[0][0].weekday() == 0 for week in weeks)
    assert [week[0][0] for week in weeks] == [date(2026, 2, 16), date(2026, 2, 23), mar(2), mar(9)]
    assert weeks[-1][0] == (mar(9), 2)
    assert sum(count for week in weeks for _, count in week) == 6  # Feb 15 is outside


def test_compare_weeks_uses_the_same_weekdays() -> None:
    days = Counter({mar(2): 2, mar(6): 3, mar(7): 10, mar(9): 1, mar(13): 1, mar(14): 5})
    assert compare_weeks(days, mar(13)) == WeekComparison(this_week=2, last_week=5, change=-3)
    assert compare_weeks(days, mar(15)) == WeekComparison(this_week=7, last_week=15, change=-8)


# --- the messages --------------------------------------------------------------------------------

NOW = local(BERLIN, 2026, 3, 13, 15)
TITLES = {f"exercise-{n}": f"Exercise number {n} <with> & a long name " * 2 for n in range(40)}


def view_for(done_events: list[DoneEvent], nudges: list[NudgeEvent] = ()) -> ProgressView:
    return progress_view(
        done_events, nudges, [], tz=BERLIN, work_days=WEEKDAYS, now=NOW, titles=TITLES
    )


def new_person() -> ProgressView:
    return view_for([])


def active_person() -> ProgressView:
    events = [
        done(NOW - timedelta(days=day, hours=hour), f"exercise-{day % 4}")
        for day in range(1, 12)
        for hour in range(day % 3 + 1)
    ]
    nudges = [NudgeEvent(NOW, "done"), NudgeEvent(NOW, "ignored"), NudgeEvent(NOW, "done")]
    return view_for(events, nudges)


def year_of_history() -> ProgressView:
    events = [
        done(NOW - timedelta(days=day, minutes=13 * hour), f"exercise-{(day * hour) % 40}")
        for day in range(366)
        for hour in range(day % 9)
    ]
    nudges = [NudgeEvent(NOW, "done" if n % 3 else "skipped") for n in range(2000)]
    return view_for(events, nudges)


PEOPLE = {"new": new_person, "active": active_person, "a year of history": year_of_history}


@pytest.mark.parametrize("person", PEOPLE.values(), ids=PEOPLE.keys())
def test_stats_message_fits_slack(person) -> None:
    stats = person()
    message = stats_message(stats)
    assert message_problems(message.as_kwargs()) == []
    assert message.text.strip()
    assert len(progress_blocks(stats)) < 12


@pytest.mark.parametrize("person", PEOPLE.values(), ids=PEOPLE.keys())
def test_weekly_summary_fits_slack(person) -> None:
    stats = person()
    days = Counter({day: count for week in stats.last_4_weeks for day, count in week})
    message = weekly_summary_message(compare_weeks(days, stats.today), stats.streaks)
    assert message_problems(message.as_kwargs()) == []
    assert message.text.strip()


def test_a_new_person_is_pointed_at_stretch() -> None:
    message = stats_message(new_person())
    assert "/stretch" in message.text
    assert EMPTY_STATE in message.blocks[1]["text"]["text"]
    assert len(message.blocks) == 2


def test_the_active_stats_show_numbers_charts_rate_and_favourites() -> None:
    stats = active_person()
    message = stats_message(stats)
    text = "\n".join(_texts(message.blocks))
    assert "🔥" in message.text and f"total {stats.totals.total}" in message.text
    assert "*Current streak*" in text and "*Best streak*" in text
    assert "Mo Tu We Th Fr Sa Su" in text
    assert "67% done" in text
    assert "1. Exercise number" in text and "&lt;with&gt; &amp;" in text  # titles are escaped


def test_the_bar_chart_reads_one_line_a_day() -> None:
    stats = active_person()
    chart = _block_text(stats_message(stats), "*Last 7 days*")
    lines = _code_lines(chart)
    assert [line.split()[0] for line in lines] == ["Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri"]
    assert lines[-1] == "Fri ·          0"  # today, nothing yet
    assert lines[-2] == "Thu ▇▇         2"  # two Dones yesterday


def test_bars_scale_to_the_busiest_day() -> None:
    events = [done(NOW - timedelta(minutes=m)) for m in range(25)]
    events.append(done(NOW - timedelta(days=1)))
    chart = _block_text(stats_message(view_for(events)), "*Last 7 days*")
    assert "Fri ▇▇▇▇▇▇▇▇▇▇ 25" in chart
    assert "Thu ▇          1" in chart


def test_the_heatmap_has_levels_and_leaves_the_future_blank() -> None:
    events = [done(NOW - timedelta(days=1)), *(done(NOW - timedelta(hours=h)) for h in range(2))]
    heatmap = _block_text(stats_message(view_for(events)), "*Last 4 weeks*")
    rows = _code_lines(heatmap)
    assert rows[0] == "       Mo Tu We Th Fr Sa Su"
    assert rows[-1] == "Mar  9 ⬜ ⬜ ⬜ 🟨 🟩"  # Thursday one, today (Friday) two, weekend ahead
    assert rows[1] == "Feb 16 ⬜ ⬜ ⬜ ⬜ ⬜ ⬜ ⬜"


def test_no_reminders_yet() -> None:
    stats = view_for([done(NOW)])
    assert "no reminders yet" in "\n".join(_texts(stats_message(stats).blocks))


WEEK_CASES = {
    "up": (WeekComparison(7, 4, 3), "3 more"),
    "same": (WeekComparison(5, 5, 0), "as many as"),
    "down": (WeekComparison(1, 6, -5), "5 fewer"),
    "nothing either week": (WeekComparison(0, 0, 0), "none yet"),
}


@pytest.mark.parametrize(("comparison", "words"), WEEK_CASES.values(), ids=WEEK_CASES.keys())
def test_weekly_summary_wording(comparison: WeekComparison, words: str) -> None:
    for current, best in [(0, 0), (0, 4), (3, 9)]:
        message = weekly_summary_message(comparison, Streaks(current, best))
        assert words in message.text
        assert message_problems(message.as_kwargs()) == []


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=400), st.integers(0, 1439), st.integers(0, 50)
        ),
        max_size=300,
    ),
    st.lists(st.sampled_from(["done", "snoozed", "skipped", "ignored", None]), max_size=50),
)
def test_any_history_renders_within_slack_limits(history, outcomes) -> None:
    events = [
        done(NOW - timedelta(days=day, minutes=minute), f"exercise-{activity}")
        for day, minute, activity in history
    ]
    stats = view_for(events, [NudgeEvent(NOW, outcome) for outcome in outcomes])
    message = stats_message(stats)
    assert message_problems(message.as_kwargs()) == []
    assert message.text.strip()
    assert len(progress_blocks(stats)) < 12
    summary = weekly_summary_message(
        compare_weeks(local_days(events, BERLIN), stats.today), stats.streaks
    )
    assert message_problems(summary.as_kwargs()) == []


def _texts(blocks: list[dict]) -> list[str]:
    texts = []
    for block in blocks:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [item["text"] for item in block.get("fields", []) + block.get("elements", [])]
    return texts


def _code_lines(text: str) -> list[str]:
    """The lines inside the one code block in ``text``."""
    return text.split("```")[1].strip("\n").split("\n")


def _block_text(message, title: str) -> str:
    return next(text for text in _texts(message.blocks) if text.startswith(title))
