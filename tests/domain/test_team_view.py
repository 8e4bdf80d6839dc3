"""The team view's rules: no number for a group of fewer than five people, local hours from
UTC hours in odd zones, eight UTC weeks ending with this one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.team_view import (
    MIN_GROUP,
    TOO_FEW,
    WEEKS,
    busiest_hours,
    local_hour,
    shown,
    week_starts,
)

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday
ZONES = ["UTC", "Europe/Berlin", "Asia/Kathmandu", "America/St_Johns", "Pacific/Kiritimati"]


def test_shown_hides_small_groups():
    assert shown(40, MIN_GROUP) == "40"
    assert shown(40, MIN_GROUP - 1) == TOO_FEW
    assert shown(0, 0) == TOO_FEW


def test_eight_weeks_from_monday_utc():
    starts = week_starts(NOW)
    assert len(starts) == WEEKS and starts[-1].date() == date(2026, 11, 23)
    assert all(start.weekday() == 0 and start.hour == 0 for start in starts)
    assert starts[0].date() == date(2026, 10, 5)


def test_local_hours_in_odd_zones():
    assert local_hour("Europe/Berlin", 10, NOW) == 11
    assert local_hour("Asia/Kathmandu", 3, NOW) == 9  # 08:45–09:44, mostly the 9 o'clock hour
    assert local_hour("America/St_Johns", 12, NOW) == 9  # -03:30: 08:30–09:29, a tie: later
    assert local_hour("Pacific/Kiritimati", 23, NOW) == 13  # +14, the next day
    assert local_hour("Not/AZone", 7, NOW) == 7


rows = st.lists(
    st.tuples(st.integers(1, 12), st.sampled_from(ZONES), st.integers(0, 23), st.integers(1, 20)),
    max_size=60,
)


@given(rows)
def test_every_hour_shown_has_five_people_behind_it(done):
    shown_hours = busiest_hours(done, NOW)
    assert len(shown_hours) <= 3
    for hour, count in shown_hours:
        behind = {p for p, zone, utc_hour, _ in done if local_hour(zone, utc_hour, NOW) == hour}
        assert len(behind) >= MIN_GROUP
        assert count == sum(
            n for _, zone, utc_hour, n in done if local_hour(zone, utc_hour, NOW) == hour
        )
    assert [c for _, c in shown_hours] == sorted((c for _, c in shown_hours), reverse=True)


@given(rows.filter(lambda done: len({row[0] for row in done}) < MIN_GROUP))
def test_fewer_than_five_people_show_no_hour_at_all(done):
    assert busiest_hours(done, NOW) == []
