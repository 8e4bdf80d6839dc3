"""A challenge's plan and its start command's grammar: the work days it runs on, and what
`/stretch challenge start …` accepts or explains."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.challenges import ChallengeInputError, parse_start, plan_days


def test_plan_skips_weekends_and_starts_tomorrow_when_the_time_has_passed():
    friday_noon = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)  # 12:00 in Berlin
    days = plan_days(
        friday_noon,
        "Europe/Berlin",
        frozenset(range(5)),
        parse_start("3 days"),
        ["a", "b"],
        seed="x",
    )
    assert [d.local_date.isoformat() for d in days] == ["2026-11-30", "2026-12-01", "2026-12-02"]
    assert all(d.due_at.astimezone(UTC).hour == 10 for d in days)  # 11:00 Berlin
    assert all(a.exercise_id != b.exercise_id for a, b in itertools.pairwise(days))


@pytest.mark.parametrize("text", ["0", "31 days", "at 24:00", "at 9:75", "x days"])
def test_parse_start_refuses(text):
    with pytest.raises(ChallengeInputError):
        parse_start(text)


def test_parse_start_reads_days_and_time():
    request = parse_start("10 days at 9:15")
    assert (request.days, request.at.hour, request.at.minute) == (10, 9, 15)
    assert parse_start("").days == 5


@given(st.text(max_size=60))
def test_parse_start_only_ever_answers_or_explains(text):
    try:
        request = parse_start(text)
    except ChallengeInputError as problem:
        assert "/stretch challenge start" in str(problem)
    else:
        assert 1 <= request.days <= 30
