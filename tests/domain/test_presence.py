"""The rules of nudging someone away from the desk (`bot.domain.presence`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.presence import AWAY_FROM_DESK, CallWindow, away_from_desk, still_away_past

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_only_away_holds_a_nudge_and_unknown_presence_nudges():
    assert away_from_desk("away") == AWAY_FROM_DESK
    assert away_from_desk("active") is None
    assert away_from_desk(None) is None  # the check failed: nudge anyway
    assert not AWAY_FROM_DESK.away  # held and rechecked, not dropped like out of office


def test_a_hold_that_reaches_the_next_slot_or_the_end_of_work_is_recorded_as_away():
    hour = timedelta(hours=1)
    assert not still_away_past(NOW, NOW + hour, NOW + 5 * hour)
    assert still_away_past(NOW + hour, NOW + hour, None)
    assert still_away_past(NOW + hour, None, NOW + hour)
    assert not still_away_past(NOW, None, None)


@given(st.lists(st.integers(min_value=0, max_value=600), max_size=200))
def test_the_call_window_never_allows_more_than_its_rate_in_any_minute(offsets):
    window = CallWindow(per_minute=5)
    taken = []
    for seconds in sorted(offsets):
        at = NOW + timedelta(seconds=seconds)
        if window.take(at):
            taken.append(at)
    for start in taken:
        assert sum(start <= t < start + timedelta(minutes=1) for t in taken) <= 5


def test_the_call_window_opens_again_after_a_minute():
    window = CallWindow(per_minute=2)
    assert window.take(NOW) and window.take(NOW)
    assert not window.take(NOW + timedelta(seconds=59))
    assert window.take(NOW + timedelta(seconds=60))
