"""Away from the desk: at due time the tick asks Slack for the person's presence
(`users.getPresence`). Someone away is not nudged — the nudge is held and looked at again — and
if they stay away past their next slot it is recorded as away, which never counts towards the
back-off after ignored nudges. A presence check that fails does not lose the nudge."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.availability import RECHECK_AFTER
from tests.support.reminder_helpers import nudges, opt_in, person, posted_nudges, run_tick_at


def test_someone_away_is_held_and_nudged_once_they_are_back(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    fake_slack.set_presence("U0001", "away")
    slot = person(container).next_nudge_at
    report = run_tick_at(container, clock, slot)
    assert report["nudge delivery"]["held"] == 1
    [held] = nudges(container)
    assert held.status == "pending" and held.note == "held: away from the desk"
    assert held.due_at == slot + RECHECK_AFTER
    assert posted_nudges(fake_slack) == []
    assert fake_slack.last_call("users.getPresence").params["user"] == "U0001"

    run_tick_at(container, clock, slot + RECHECK_AFTER)  # still away: held again
    assert posted_nudges(fake_slack) == [] and nudges(container)[0].status == "pending"

    fake_slack.set_presence("U0001", "active")
    report = run_tick_at(container, clock, slot + 2 * RECHECK_AFTER)
    assert report["nudge delivery"]["sent"] == 1
    assert len(posted_nudges(fake_slack)) == 1
    assert nudges(container)[0].status == "sent"


def away_through(container, clock, first_slot, slots: int) -> None:
    """Tick every few minutes from `first_slot` through `slots` slots."""
    at = first_slot
    while at < first_slot + timedelta(hours=slots):
        run_tick_at(container, clock, at)
        at += RECHECK_AFTER


def test_away_past_the_next_slot_is_recorded_as_away_and_never_backs_off(
    slack, container, fake_slack, clock
):
    opt_in(slack, fake_slack)
    fake_slack.set_presence("U0001", "away")
    first = person(container).next_nudge_at
    away_through(container, clock, first, slots=4)
    missed = nudges(container)
    assert len(missed) == 4
    assert {(n.status, n.outcome) for n in missed} == {("dropped", "away")}
    assert posted_nudges(fake_slack) == []

    fake_slack.set_presence("U0001", "active")
    back = person(container).next_nudge_at
    run_tick_at(container, clock, back)
    [message] = posted_nudges(fake_slack)
    assert "every 120 minutes" not in str(message["blocks"])  # no back-off note
    assert person(container).backoff_on is None
    assert all(n.outcome != "ignored" for n in nudges(container))


@pytest.mark.parametrize("status", [429, 500])
def test_a_failed_presence_check_nudges_anyway(status, slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    fake_slack.set_presence("U0001", "away")
    fake_slack.fail_next("users.getPresence", status=status)
    report = run_tick_at(container, clock, person(container).next_nudge_at)
    assert report["nudge delivery"]["sent"] == 1
    assert len(posted_nudges(fake_slack)) == 1
