"""Days off as pure rules: time off and public holidays on the person's own calendar, the next
working slot across zones, weeks spent away, streaks over days off, and the Slack forms that set
them (the Settings modal's holiday fields, the time-off modal)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks.days_off import (
    FIRST_DAY_BLOCK,
    LAST_DAY_BLOCK,
    read_time_off_dates,
    time_off_home_blocks,
    time_off_modal,
)
from bot.blocks.holiday_settings import (
    HOLIDAY_COUNTRY_BLOCK,
    HOLIDAY_REGION_BLOCK,
    holiday_blocks,
    read_holiday_choice,
)
from bot.blocks.settings import settings_modal
from bot.domain.days_off import (
    NO_DAYS_OFF,
    DaysOff,
    DaysOffOverview,
    PlannedTimeOff,
    next_working_slot,
    slot_is_off,
    week_spent_off,
)
from bot.domain.holidays import (
    FOLLOW_WORKSPACE,
    NOTHING_CHOSEN,
    HolidayChoice,
    HolidayRegion,
    HolidaySetting,
    UnknownRegion,
    checked_region,
    country_names,
    next_holiday,
    public_holidays,
    region_in_force,
)
from bot.domain.hours_text import parse_week
from bot.domain.preferences import Preferences
from bot.domain.progress import DoneEvent, progress_view
from bot.domain.schedule import WorkSchedule, local_date, next_slot
from bot.domain.time_off import DateSpan
from bot.domain.work_pattern import WorkPattern
from tests.support.answers import initial_state
from tests.support.slack_limits import view_problems

GERMANY = HolidayRegion("DE")
WEEKDAYS = frozenset(range(5))
CHRISTMAS = date(2026, 12, 25)  # a Friday


def schedule(tz: str = "Europe/Berlin") -> WorkSchedule:
    return WorkSchedule(tz, WorkPattern.every(WEEKDAYS, time(9), time(17)), 60)


# --- what a day off is --------------------------------------------------------------------------


def test_time_off_and_public_holidays_are_days_off_with_a_reason() -> None:
    days_off = DaysOff((DateSpan(date(2026, 12, 21), date(2026, 12, 23)),), GERMANY)
    assert days_off.reason(date(2026, 12, 21)) == "time off"
    assert days_off.reason(date(2026, 12, 23)) == "time off"
    assert days_off.reason(CHRISTMAS) == "Christmas Day"
    assert days_off.reason(date(2026, 12, 24)) is None  # not a public holiday in Germany
    assert not NO_DAYS_OFF.is_off(CHRISTMAS)
    assert days_off.between(date(2026, 12, 20), date(2026, 12, 27)) == {
        date(2026, 12, 21),
        date(2026, 12, 22),
        date(2026, 12, 23),
        CHRISTMAS,
        date(2026, 12, 26),
    }


def test_subdivisions_matter_where_holidays_differ() -> None:
    epiphany = date(2026, 1, 6)
    assert epiphany in public_holidays(HolidayRegion("DE", "BY"), 2026)
    assert epiphany not in public_holidays(GERMANY, 2026)


def test_a_persons_own_choice_wins_over_the_workspace_default() -> None:
    assert region_in_force(None, None, "DE", "BY") == HolidayRegion("DE", "BY")
    assert region_in_force("US", "CA", "DE", "BY") == HolidayRegion("US", "CA")
    assert region_in_force("none", None, "DE", None) is None
    assert region_in_force(None, None, None, None) is None


def test_regions_are_checked_against_the_package() -> None:
    assert checked_region(" de ", "bayern") == HolidayRegion("DE", "BY")
    assert checked_region("us", "ca") == HolidayRegion("US", "CA")
    assert checked_region("GB", "") == HolidayRegion("GB")
    with pytest.raises(UnknownRegion, match="two-letter country code"):
        checked_region("XX")
    with pytest.raises(UnknownRegion, match=r"Use one of: .*BY"):
        checked_region("DE", "Narnia")
    assert len(country_names()) > 100 and country_names()["DE"] == "Germany"


def test_holiday_lookups_are_cached_per_region_and_year() -> None:
    assert public_holidays(GERMANY, 2027) is public_holidays(GERMANY, 2027)
    assert next_holiday(GERMANY, date(2026, 12, 24)) == (CHRISTMAS, "Christmas Day")
    assert next_holiday(GERMANY, date(2026, 12, 27)) == (date(2027, 1, 1), "New Year's Day")
    assert next_holiday(None, CHRISTMAS) is None


# --- planning past days off --------------------------------------------------------------------


def test_the_next_slot_skips_holidays_and_time_off_to_the_next_working_day() -> None:
    days_off = DaysOff((DateSpan(date(2026, 12, 28), date(2027, 1, 1)),), GERMANY)
    thursday_evening = datetime(2026, 12, 24, 17, 0, tzinfo=UTC)
    slot = next_working_slot(schedule(), thursday_evening, days_off)
    # Fri 25 and Sat 26 holidays, the weekend, then a week of time off: Monday 4 January.
    assert local_date(schedule(), slot) == date(2027, 1, 4)
    assert slot == next_slot(schedule(), datetime(2027, 1, 3, 23, tzinfo=UTC))
    assert slot_is_off(schedule(), thursday_evening + timedelta(hours=15), days_off)


ZONES = st.sampled_from(
    [
        "Europe/Berlin",
        "America/New_York",
        "Pacific/Auckland",
        "Pacific/Kiritimati",  # UTC+14
        "Pacific/Pago_Pago",  # UTC-11
        "Asia/Kathmandu",
        "Australia/Lord_Howe",
        "America/Santiago",  # changes its clocks at midnight
    ]
)


@settings(deadline=None, max_examples=60)
@given(
    tz=ZONES,
    after=st.datetimes(
        min_value=datetime(2026, 1, 1),  # noqa: DTZ001 - hypothesis' bounds are naive
        max_value=datetime(2028, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    spans=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 20)), min_size=0, max_size=4),
    country=st.sampled_from([None, "DE", "US", "NZ", "NP"]),
)
def test_the_next_working_slot_is_the_first_slot_whose_local_date_is_not_off(
    tz: str, after: datetime, spans: list[tuple[int, int]], country: str | None
) -> None:
    start = local_date(schedule(tz), after)
    time_off = tuple(
        DateSpan(start + timedelta(days=offset), start + timedelta(days=offset + length))
        for offset, length in spans
    )
    days_off = DaysOff(time_off, HolidayRegion(country) if country else None)
    found = next_working_slot(schedule(tz), after, days_off)
    assert found > after
    assert not days_off.is_off(local_date(schedule(tz), found))
    # Every slot passed over lies on a local date that is off, in the person's own zone.
    slot = next_slot(schedule(tz), after)
    while slot < found:
        assert days_off.is_off(local_date(schedule(tz), slot))
        slot = next_slot(schedule(tz), slot)
    assert slot == found


def test_the_local_date_decides_not_the_utc_date() -> None:
    days_off = DaysOff(region=HolidayRegion("NZ"))
    auckland = schedule("Pacific/Auckland")
    # 09:30 on 25 Dec in Auckland is still 24 Dec in UTC.
    christmas_morning = datetime(2026, 12, 24, 20, 30, tzinfo=UTC)
    assert slot_is_off(auckland, christmas_morning, days_off)
    assert not slot_is_off(schedule("America/New_York"), christmas_morning, days_off)


# --- weekly summaries and streaks --------------------------------------------------------------


def test_a_week_spent_away_is_one_whose_every_work_day_was_off() -> None:
    week_off = DaysOff((DateSpan(date(2026, 12, 21), date(2026, 12, 24)),), GERMANY)
    assert week_spent_off(WEEKDAYS, date(2026, 12, 25), week_off)  # Fri 25 is Christmas
    assert not week_spent_off(WEEKDAYS, date(2026, 12, 25), DaysOff(region=GERMANY))
    assert not week_spent_off(frozenset(), date(2026, 12, 25), week_off)
    weekend_only = DaysOff((DateSpan(date(2026, 12, 26), date(2026, 12, 27)),))
    assert week_spent_off({5, 6}, date(2026, 12, 27), weekend_only)


def test_a_streak_holds_over_days_off_like_over_paused_days() -> None:
    done = [
        DoneEvent(datetime(2026, 12, day, 10, tzinfo=UTC), "seated-lumbar-stretch", "command")
        for day in (23, 24, 28, 29)  # Wed, Thu; Fri 25 Christmas; Mon, Tue
    ]
    now = datetime(2026, 12, 29, 12, tzinfo=UTC)

    def current(days_off: DaysOff) -> int:
        view = progress_view(
            done,
            [],
            [],
            tz="Europe/Berlin",
            work_days=WEEKDAYS,
            now=now,
            titles={},
            days_off=days_off,
        )
        return view.streaks.current

    assert current(NO_DAYS_OFF) == 2
    assert current(DaysOff(region=GERMANY)) == 4
    assert current(DaysOff((DateSpan(CHRISTMAS, CHRISTMAS),))) == 4


# --- the forms ---------------------------------------------------------------------------------


def test_the_holiday_fields_read_back_what_they_show() -> None:
    prefs = Preferences(WorkPattern.every(WEEKDAYS, time(9), time(17)), 60, "office")
    setting = HolidaySetting(HolidayChoice("DE", "BY"), workspace_default=HolidayRegion("US"))
    view = settings_modal(prefs, "Europe/Berlin", holiday_blocks(setting))
    assert view_problems(view) == []
    assert "Workspace default (United States)" in str(view)
    assert read_holiday_choice(initial_state(view)) == HolidayChoice("DE", "BY")
    untouched = settings_modal(prefs, "Europe/Berlin", holiday_blocks(NOTHING_CHOSEN))
    assert read_holiday_choice(initial_state(untouched)) == FOLLOW_WORKSPACE


def _holiday_answer(country: object, region: object = None) -> dict:
    return {
        HOLIDAY_COUNTRY_BLOCK: {HOLIDAY_COUNTRY_BLOCK: {"selected_option": {"value": country}}},
        HOLIDAY_REGION_BLOCK: {HOLIDAY_REGION_BLOCK: {"value": region}},
    }


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (_holiday_answer("none"), HolidayChoice("none")),
        (_holiday_answer("default"), FOLLOW_WORKSPACE),
        (_holiday_answer("US", " ny "), HolidayChoice("US", "NY")),
        (_holiday_answer("DE", "Narnia"), {HOLIDAY_REGION_BLOCK}),
        (_holiday_answer("none", "BY"), {HOLIDAY_REGION_BLOCK}),
        (_holiday_answer("ZZ"), {HOLIDAY_COUNTRY_BLOCK}),  # not in the list: a forged request
        (_holiday_answer(["DE"]), {HOLIDAY_COUNTRY_BLOCK}),
        ({}, {HOLIDAY_COUNTRY_BLOCK}),
        ("not a dict", {HOLIDAY_COUNTRY_BLOCK}),
    ],
)
def test_holiday_answers_are_read_or_refused_on_their_field(values: object, expected) -> None:
    read = read_holiday_choice(values)
    assert (set(read) if isinstance(read, dict) else read) == expected


def test_the_time_off_modal_reads_two_dates_or_says_which_is_missing() -> None:
    view = time_off_modal(date(2026, 11, 24))
    assert view_problems(view) == []
    assert read_time_off_dates(initial_state(view)) == (date(2026, 11, 24), date(2026, 11, 24))
    values = initial_state(view)
    values[LAST_DAY_BLOCK][LAST_DAY_BLOCK]["selected_date"] = "2026-02-30"
    values[FIRST_DAY_BLOCK][FIRST_DAY_BLOCK] = "forged"
    assert set(read_time_off_dates(values)) == {FIRST_DAY_BLOCK, LAST_DAY_BLOCK}
    assert set(read_time_off_dates(None)) == {FIRST_DAY_BLOCK, LAST_DAY_BLOCK}


def test_the_home_section_lists_time_off_with_cancel_buttons_within_limits() -> None:
    today = date(2026, 11, 24)
    planned = tuple(
        PlannedTimeOff(n, DateSpan(today + timedelta(days=n), today + timedelta(days=n)))
        for n in range(1, 21)
    )
    overview = DaysOffOverview(today, planned, GERMANY, (CHRISTMAS, "Christmas Day"))
    blocks = [block.to_dict() for block in time_off_home_blocks(overview)]
    home = {"type": "home", "blocks": blocks}
    assert view_problems(home) == []
    assert len(blocks) == 20 + 3
    assert "Christmas Day" in str(blocks)
    assert "No time off planned" in str(time_off_home_blocks(None)[1].to_dict())


def test_a_night_shift_is_off_by_the_day_it_starts() -> None:
    """Christmas (Fri 25 and Sat 26 Dec 2026) in Germany: the small hours of Thursday's night
    shift are Thursday's and still nudged; Friday's shift, past midnight too, is off."""
    night = WorkSchedule("Europe/Berlin", parse_week("mon-sun 22-6"), 60)
    berlin = ZoneInfo("Europe/Berlin")
    christmas = DaysOff(region=GERMANY)
    thursday_small_hours = datetime(2026, 12, 25, 1, tzinfo=berlin)
    friday_small_hours = datetime(2026, 12, 26, 1, tzinfo=berlin)
    assert not slot_is_off(night, thursday_small_hours, christmas)
    assert slot_is_off(night, friday_small_hours, christmas)
    after_thursday_shift = datetime(2026, 12, 25, 6, tzinfo=berlin)
    following = next_working_slot(night, after_thursday_shift, christmas)
    sunday_shift = next_slot(night, datetime(2026, 12, 27, 12, tzinfo=berlin))
    assert following == sunday_shift
    assert following.astimezone(berlin).date() == date(2026, 12, 27)
