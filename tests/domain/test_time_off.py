"""Reading `/stretch away …` as local dates: the forms, the year inferred, and the refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.time_off import (
    MAX_AHEAD,
    MAX_DAYS,
    DateSpan,
    TimeOffParseError,
    checked_span,
    describe_span,
    parse_time_off,
)
from bot.domain.zones import MONTH_ABBREVIATIONS

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("24 dec - 2 jan", date(2026, 12, 24), date(2027, 1, 2)),
        ("24 Dec – 2 Jan", date(2026, 12, 24), date(2027, 1, 2)),
        ("dec 24 - jan 2", date(2026, 12, 24), date(2027, 1, 2)),
        ("December 24th to January 2nd", date(2026, 12, 24), date(2027, 1, 2)),
        ("2026-12-24 - 2027-01-02", date(2026, 12, 24), date(2027, 1, 2)),
        ("2026-12-24-2027-01-02", date(2026, 12, 24), date(2027, 1, 2)),
        ("24 dec", date(2026, 12, 24), date(2026, 12, 24)),
        ("dec 24, 2026", date(2026, 12, 24), date(2026, 12, 24)),
        ("tomorrow", date(2026, 11, 25), date(2026, 11, 25)),
        ("today", TODAY, TODAY),
        ("today - fri", TODAY, date(2026, 11, 27)),
        ("fri", date(2026, 11, 27), date(2026, 11, 27)),
        ("tue", TODAY, TODAY),  # today is a Tuesday: today counts
        ("mon - wed", date(2026, 11, 30), date(2026, 12, 2)),
        ("fri - mon", date(2026, 11, 27), date(2026, 11, 30)),
        ("3 jan", date(2027, 1, 3), date(2027, 1, 3)),  # already past this year: next year's
        ("24 nov", TODAY, TODAY),
        ("29 feb", None, None),  # the next one is 2028: more than a year ahead
    ],
)
def test_forms_and_the_year_inferred(text: str, first: date | None, last: date | None) -> None:
    if first is None:
        with pytest.raises(TimeOffParseError, match="more than a year ahead"):
            parse_time_off(text, TODAY)
        return
    assert parse_time_off(text, TODAY) == DateSpan(first, last)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Tell me which days"),
        ("next week sometime", "couldn't read"),
        ("31 feb", "isn't a date on the calendar"),
        ("2026-13-01", "isn't a date on the calendar"),
        ("2026-11-20", "already past"),
        ("2026-11-20 - 2026-11-30", "already past"),
        ("2026-12-24 - 2026-12-20", "comes before the first"),
        ("2026-12-01 - 2028-01-01", "at most a year"),
        ("2028-01-01", "more than a year ahead"),
    ],
)
def test_bad_input_gets_a_clear_answer_with_an_example(text: str, says: str) -> None:
    with pytest.raises(TimeOffParseError) as raised:
        parse_time_off(text, TODAY)
    assert says in str(raised.value)
    assert "/stretch away" in str(raised.value)


def test_the_modal_check_says_which_field_is_wrong() -> None:
    with pytest.raises(TimeOffParseError) as past:
        checked_span(TODAY - timedelta(days=1), TODAY, TODAY)
    assert past.value.about_first
    with pytest.raises(TimeOffParseError) as backwards:
        checked_span(TODAY, TODAY - timedelta(days=1), TODAY)
    assert not backwards.value.about_first


def test_spans_are_described_with_the_year_only_when_it_differs() -> None:
    assert describe_span(DateSpan(date(2026, 12, 24), date(2027, 1, 2)), TODAY) == (
        "Thu 24 Dec – Sat 2 Jan 2027 (10 days)"
    )
    assert describe_span(DateSpan(date(2026, 11, 27), date(2026, 11, 27)), TODAY) == "Fri 27 Nov"


DAYS_AHEAD = st.integers(min_value=0, max_value=MAX_AHEAD.days)


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    ahead=DAYS_AHEAD,
    length=st.integers(min_value=1, max_value=MAX_DAYS),
    form=st.sampled_from(["iso", "day month", "month day"]),
)
def test_every_written_form_reads_back_as_the_span(
    today: date, ahead: int, length: int, form: str
) -> None:
    first = today + timedelta(days=ahead)
    last = first + timedelta(days=length - 1)
    text = f"{_written(first, form, today)} - {_written(last, form, first)}"
    assert parse_time_off(text, today) == DateSpan(first, last)


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    text=st.text(max_size=60),
)
def test_any_text_is_a_span_that_may_be_planned_or_a_clear_refusal(today: date, text: str) -> None:
    try:
        span = parse_time_off(text, today)
    except TimeOffParseError as problem:
        assert str(problem)
        return
    assert today <= span.first <= today + MAX_AHEAD
    assert span.first <= span.last and span.days <= MAX_DAYS


def _written(day: date, form: str, not_before: date) -> str:
    """``day`` as a person might type it; without a year when that reads back as ``day``."""
    month = MONTH_ABBREVIATIONS[day.month - 1].lower()
    if form == "iso":
        return day.isoformat()
    # Without a year a date means its next occurrence: write the year when that is not `day`.
    year = f" {day.year}" if _next_occurrence(day, not_before) != day else ""
    return f"{day.day} {month}{year}" if form == "day month" else f"{month} {day.day}{year}"


def _next_occurrence(day: date, not_before: date) -> date | None:
    for year in range(not_before.year, not_before.year + 9):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            continue
        if candidate >= not_before:
            return candidate
    return None
