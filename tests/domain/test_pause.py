"""Tests for bot.domain.pause: what each phrase resumes at, in ordinary and DST-changing zones,
what it refuses and how it says so, and how a resume time is described back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.pause import PAUSE_EXAMPLES, PauseParseError, describe_until, parse_pause

BERLIN = "Europe/Berlin"
NY = "America/New_York"


def at(tz: str, y: int, mo: int, d: int, h: int = 0, mi: int = 0, fold: int = 0) -> datetime:
    """A local wall time in ``tz`` as a UTC instant."""
    return datetime(y, mo, d, h, mi, fold=fold, tzinfo=ZoneInfo(tz)).astimezone(UTC)


WEDNESDAY = at(BERLIN, 2026, 3, 4, 10)  # Wed 4 March 2026, 10:00 in Berlin
FRIDAY = at(BERLIN, 2026, 3, 6, 16)

# (text, now, zone, resume instant)
CASES = {
    "30m": ("30m", WEDNESDAY, BERLIN, WEDNESDAY + timedelta(minutes=30)),
    "90 min": ("90 min", WEDNESDAY, BERLIN, WEDNESDAY + timedelta(minutes=90)),
    "2h": ("2h", WEDNESDAY, BERLIN, WEDNESDAY + timedelta(hours=2)),
    "1h30m": ("1h30m", WEDNESDAY, BERLIN, WEDNESDAY + timedelta(minutes=90)),
    "spaced and spelled out": (
        "for 1 hour 15 minutes",
        WEDNESDAY,
        BERLIN,
        WEDNESDAY + timedelta(minutes=75),
    ),
    "upper case and stray spaces": (
        "  1H   30M ",
        WEDNESDAY,
        BERLIN,
        WEDNESDAY + timedelta(minutes=90),
    ),
    "today: until the next local day starts": ("today", WEDNESDAY, BERLIN, at(BERLIN, 2026, 3, 5)),
    "until tomorrow": ("until tomorrow", WEDNESDAY, BERLIN, at(BERLIN, 2026, 3, 5)),
    "3d": ("3d", WEDNESDAY, BERLIN, at(BERLIN, 2026, 3, 7, 10)),
    "until friday": ("until friday", WEDNESDAY, BERLIN, at(BERLIN, 2026, 3, 6)),
    "until friday on a Friday: next week's": (
        "until Friday",
        FRIDAY,
        BERLIN,
        at(BERLIN, 2026, 3, 13),
    ),
    "until monday": ("until monday", FRIDAY, BERLIN, at(BERLIN, 2026, 3, 9)),
    "a weekday without until": ("MON", FRIDAY, BERLIN, at(BERLIN, 2026, 3, 9)),
    "until a date": ("until 2026-04-01", WEDNESDAY, BERLIN, at(BERLIN, 2026, 4, 1)),
    "until a clock time later today": (
        "until 14:30",
        WEDNESDAY,
        BERLIN,
        at(BERLIN, 2026, 3, 4, 14, 30),
    ),
    "until a clock time already past: tomorrow": (
        "until 9:15",
        WEDNESDAY,
        BERLIN,
        at(BERLIN, 2026, 3, 5, 9, 15),
    ),
    "until 2pm": ("until 2pm", WEDNESDAY, BERLIN, at(BERLIN, 2026, 3, 4, 14)),
    "until 12am is midnight": ("until 12am", WEDNESDAY, BERLIN, at(BERLIN, 2026, 3, 5)),
    "until next workday from a Friday": (
        "until next workday",
        FRIDAY,
        BERLIN,
        at(BERLIN, 2026, 3, 9),
    ),
    "3d across spring-forward keeps the wall clock (71 hours)": (
        "3d",
        at(NY, 2026, 3, 6, 12),
        NY,
        at(NY, 2026, 3, 9, 12),
    ),
    "2h across spring-forward is two real hours": (
        "2h",
        at(NY, 2026, 3, 8, 1, 30),
        NY,
        at(NY, 2026, 3, 8, 4, 30),
    ),
    "90d into winter time (90 days and an hour) is still allowed": (
        "90d",
        at(BERLIN, 2026, 9, 1, 10),
        BERLIN,
        at(BERLIN, 2026, 11, 30, 10),
    ),
    "Santiago: the day after starts at 01:00": (
        "today",
        at("America/Santiago", 2026, 9, 5, 20),
        "America/Santiago",
        datetime(2026, 9, 6, 4, tzinfo=UTC),
    ),
    "Havana: midnight happens twice, the day starts at the first": (
        "until tomorrow",
        at("America/Havana", 2026, 10, 31, 20),
        "America/Havana",
        datetime(2026, 11, 1, 4, tzinfo=UTC),
    ),
    "Kathmandu +05:45: 09:00 UTC is 14:45 there": (
        "until 15:00",
        WEDNESDAY,
        "Asia/Kathmandu",
        datetime(2026, 3, 4, 9, 15, tzinfo=UTC),
    ),
}


@pytest.mark.parametrize(("text", "now", "tz", "expected"), CASES.values(), ids=CASES)
def test_parse_pause(text: str, now: datetime, tz: str, expected: datetime) -> None:
    assert parse_pause(text, now, tz) == expected


def test_next_workday_follows_the_persons_work_days() -> None:
    saturday_only = frozenset({5})
    assert parse_pause("next work day", FRIDAY, BERLIN, saturday_only) == at(BERLIN, 2026, 3, 7)


def test_every_example_in_the_help_parses() -> None:
    now = at(BERLIN, 2026, 10, 15, 10)  # the date example is then 47 days away
    for example in PAUSE_EXAMPLES:
        assert parse_pause(example, now, BERLIN) > now


REFUSED = {
    "gibberish": ("blah", "I couldn't read “blah” as a pause. Try: 30m, 2h, today, 3d"),
    "empty": ("   ", "Tell me how long to pause"),
    "a bare number": ("30", "couldn't read"),
    "negative": ("-5m", "couldn't read"),
    "zero": ("0m", "longer than zero"),
    "zero in two units": ("0h 0m", "longer than zero"),
    "more than 90 days": ("91d", "at most 90 days"),
    "a date too far away": ("until 2026-12-01", "at most 90 days"),
    "a date in the past": ("until 2026-01-01", "already past"),
    "today's date": ("until 2026-03-04", "already past"),
    "a date not on the calendar": ("until 2026-02-30", "isn't a date"),
    "an hour out of range": ("until 25:00", "isn't a time of day"),
    "13pm": ("until 13pm", "isn't a time of day"),
    "an unknown day": ("until someday", "couldn't read"),
}


@pytest.mark.parametrize(("text", "message"), REFUSED.values(), ids=REFUSED)
def test_refused_with_a_helpful_message(text: str, message: str) -> None:
    with pytest.raises(PauseParseError) as error:
        parse_pause(text, WEDNESDAY, BERLIN)
    assert message in str(error.value)


def test_errors_are_value_errors_and_quote_long_text_briefly() -> None:
    with pytest.raises(ValueError, match="…") as error:
        parse_pause("x" * 500, WEDNESDAY, BERLIN)
    assert len(str(error.value)) < 200


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_pause("30m", datetime(2026, 3, 4, 10), BERLIN)  # noqa: DTZ001 - the point of the test


DESCRIBED = {
    "later today": (at(BERLIN, 2026, 3, 4, 14, 30), "until 14:30 today"),
    "tomorrow": (at(BERLIN, 2026, 3, 5), "until tomorrow 00:00"),
    "later this year": (at(BERLIN, 2026, 12, 4), "until Fri 4 Dec 00:00"),
    "next year": (at(BERLIN, 2027, 1, 8, 9), "until Fri 8 Jan 2027 09:00"),
}


@pytest.mark.parametrize(("resume_at", "expected"), DESCRIBED.values(), ids=DESCRIBED)
def test_describe_until(resume_at: datetime, expected: str) -> None:
    assert describe_until(resume_at, BERLIN, WEDNESDAY) == expected


def test_describe_until_uses_the_local_date() -> None:
    # 23:30 UTC on Wednesday is already Thursday in Tokyo.
    assert describe_until(datetime(2026, 3, 4, 23, 30, tzinfo=UTC), "Asia/Tokyo", WEDNESDAY) == (
        "until tomorrow 08:30"
    )


# --- properties --------------------------------------------------------------------------------

NOWS = st.datetimes(
    min_value=datetime(2012, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=datetime(2040, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


@PROPERTY_SETTINGS
@given(now=NOWS, zone=st.timezones(), hours=st.integers(0, 48), minutes=st.integers(0, 59))
def test_hours_and_minutes_are_elapsed_time(
    now: datetime, zone: ZoneInfo, hours: int, minutes: int
) -> None:
    text = f"{hours}h{minutes}m"
    if hours == minutes == 0:
        with pytest.raises(PauseParseError):
            parse_pause(text, now, zone.key)
    else:
        assert parse_pause(text, now, zone.key) == now + timedelta(hours=hours, minutes=minutes)


@PROPERTY_SETTINGS
@given(now=NOWS, zone=st.timezones(), day=st.sampled_from(["mon", "wednesday", "fri", "sun"]))
def test_until_a_weekday_is_the_first_instant_of_that_local_day(
    now: datetime, zone: ZoneInfo, day: str
) -> None:
    resume_at = parse_pause(f"until {day}", now, zone.key)
    local = resume_at.astimezone(zone)
    just_before = (resume_at - timedelta(microseconds=1)).astimezone(zone)
    assert local.weekday() == {"mon": 0, "wednesday": 2, "fri": 4, "sun": 6}[day]
    assert just_before.date() < local.date()
    assert now < resume_at <= now + timedelta(days=8)
