"""Copying what Slack says about a person onto their row: odd values never raise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db.availability import apply_dnd, apply_user
from bot.db.models import Person

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "expiration", [10**12, 10**30, float("inf"), float("nan"), -5, "soon", None, [1], {}]
)
def test_a_status_expiry_no_calendar_holds_means_no_expiry(expiration):
    person = Person()
    apply_user(person, {"profile": {"status_expiration": expiration, "status_text": "Lunch"}}, NOW)
    assert person.status_expiration is None and person.status_text == "Lunch"


def test_a_real_status_expiry_is_kept_in_utc():
    person = Person()
    apply_user(person, {"profile": {"status_expiration": 1_764_583_200}}, NOW)
    assert person.status_expiration == datetime(2025, 12, 1, 10, 0, tzinfo=UTC)


def test_dnd_times_out_of_range_are_ignored():
    person = Person()
    apply_dnd(
        person,
        {"dnd_enabled": True, "next_dnd_start_ts": 10**13, "next_dnd_end_ts": 1e308},
        NOW,
    )
    assert person.dnd_start is None and person.dnd_end is None
    assert person.availability_checked_at == NOW
