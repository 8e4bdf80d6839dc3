"""A nudge held because its person is busy goes out as soon as what held it ends — a meeting
status cleared early, a DND window that ends early, a huddle left — not when the hold would have
run out: within a tick, once, and still only inside work hours."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.blocks.settings import LUNCH_END_BLOCK, LUNCH_START_BLOCK, SETTINGS_CALLBACK
from bot.domain.availability import hold_until
from tests.support.answers import initial_state, opened_view
from tests.support.availability_events import (
    NO_STATUS,
    change_dnd,
    change_profile,
    in_huddle,
    meeting_until,
    wait_until_busy,
    wait_until_free,
)
from tests.support.reminder_helpers import (
    nudge_id,
    nudges,
    opt_in,
    person,
    posted_nudges,
    run_tick_at,
    wait_for,
)

# Each reason to hold: the event that starts it at the slot, and the one that ends it early.
REASONS = {
    "meeting": (
        lambda slack, slot: change_profile(slack, meeting_until(slot + timedelta(hours=2))),
        lambda slack, slot, now: change_profile(slack, NO_STATUS),
    ),
    "Do Not Disturb": (
        lambda slack, slot: change_dnd(slack, slot, slot + timedelta(hours=2)),
        lambda slack, slot, now: change_dnd(slack, slot, now),
    ),
    "huddle": (
        lambda slack, slot: change_profile(slack, in_huddle(True)),
        lambda slack, slot, now: change_profile(slack, in_huddle(False)),
    ),
}
EARLY = timedelta(minutes=5)  # before any of these holds would run out
IN_A_MEETING = REASONS["meeting"][0]


def held_at_slot(slack, container, clock, start) -> datetime:
    """The person's next slot, at which their nudge was held: `start` made them busy."""
    slot = person(container).next_nudge_at
    start(slack, slot)
    wait_until_busy(container, slot)
    run_tick_at(container, clock, slot)
    return slot


@pytest.mark.parametrize("reason", REASONS)
def test_a_held_nudge_goes_out_within_a_tick_when_its_reason_ends(
    reason, slack, container, fake_slack, clock
):
    start, end = REASONS[reason]
    opt_in(slack, fake_slack)
    slot = held_at_slot(slack, container, clock, start)
    [held] = nudges(container)
    assert held.status == "pending" and held.due_at > slot + EARLY
    assert posted_nudges(fake_slack) == []

    clock.set(slot + EARLY)
    end(slack, slot, clock.now())
    wait_until_free(container, clock.now())
    report = container.tick()
    assert report["nudge delivery"]["sent"] == 1
    assert len(posted_nudges(fake_slack)) == 1


def test_a_repeated_event_sends_the_released_nudge_once(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    slot = held_at_slot(slack, container, clock, IN_A_MEETING)

    clock.set(slot + EARLY)
    for _ in range(2):
        change_profile(slack, NO_STATUS)
    wait_until_free(container, clock.now())
    container.tick()
    change_profile(slack, NO_STATUS)
    run_tick_at(container, clock, clock.now() + timedelta(seconds=30))
    run_tick_at(container, clock, slot + timedelta(hours=2))  # when the meeting was to end
    released = nudges(container)[0]
    assert released.status == "sent"
    assert [nudge_id(m) for m in posted_nudges(fake_slack)].count(released.id) == 1


def test_a_cleared_status_does_not_release_a_nudge_still_in_dnd(
    slack, container, fake_slack, clock
):
    opt_in(slack, fake_slack)
    slot = person(container).next_nudge_at
    dnd_end = slot + timedelta(hours=1)
    change_dnd(slack, slot, dnd_end)
    change_profile(slack, meeting_until(slot + timedelta(minutes=30)))
    wait_for(lambda: person(container).dnd_end == dnd_end and person(container).status_text)
    run_tick_at(container, clock, slot)

    clock.set(slot + EARLY)
    change_profile(slack, NO_STATUS)
    wait_for(lambda: person(container).status_text == "")
    [held] = nudges(container)
    assert held.status == "pending" and held.due_at == dnd_end
    container.tick()
    assert posted_nudges(fake_slack) == []
    run_tick_at(container, clock, dnd_end)
    assert len(posted_nudges(fake_slack)) == 1


def test_a_meeting_that_ends_at_lunch_does_not_release_the_nudge_into_it(
    slack, container, fake_slack, clock
):
    """Lunch is outside work hours: the nudge keeps its time after lunch, and is not dropped."""
    opt_in(slack, fake_slack)
    slack.command("settings")
    values = initial_state(opened_view(fake_slack))
    values[LUNCH_START_BLOCK][LUNCH_START_BLOCK]["selected_time"] = "12:00"
    values[LUNCH_END_BLOCK][LUNCH_END_BLOCK]["selected_time"] = "13:00"
    assert slack.view_submission(SETTINGS_CALLBACK, values).status == 200
    wait_for(lambda: person(container).lunch_end == 13 * 60)
    meeting_end = clock.now().replace(hour=12)  # 13:00 in Berlin, when lunch ends
    held_at_slot(
        slack,
        container,
        clock,
        lambda slack, slot: change_profile(slack, meeting_until(meeting_end)),
    )
    lunch = meeting_end - timedelta(minutes=45)

    clock.set(lunch)
    change_profile(slack, NO_STATUS)
    wait_until_free(container, lunch)
    container.tick()
    assert posted_nudges(fake_slack) == []
    [held] = nudges(container)
    assert held.status == "pending" and held.due_at == meeting_end
    run_tick_at(container, clock, meeting_end)
    assert nudge_id(posted_nudges(fake_slack)[0]) == held.id


def test_a_move_past_the_end_of_work_does_not_release_the_nudge(
    slack, container, fake_slack, clock
):
    """Freed by the same event that moves them to Tokyo, where the work day is over."""
    opt_in(slack, fake_slack)
    slot = held_at_slot(slack, container, clock, IN_A_MEETING)

    clock.set(slot + EARLY)
    slack.event(
        {
            "type": "user_change",
            "event_ts": "2.0",
            "user": {"id": "U0001", "team_id": "T0001", "tz": "Asia/Tokyo", "profile": NO_STATUS},
        }
    )
    wait_for(lambda: person(container).tz == "Asia/Tokyo")
    for later in (EARLY, timedelta(hours=2)):
        run_tick_at(container, clock, slot + later)
    assert posted_nudges(fake_slack) == []


def test_freed_while_the_tick_holds_the_nudge_is_still_released(
    slack, container, fake_slack, clock, monkeypatch
):
    """The event that ends the meeting arrives while the tick is deciding to hold the nudge (it
    read the person as busy, the nudge is claimed): the hold must not wait out the meeting."""
    opt_in(slack, fake_slack)
    slot = person(container).next_nudge_at
    IN_A_MEETING(slack, slot)
    wait_until_busy(container, slot)

    def meeting_ends_meanwhile(reason, now):
        change_profile(slack, NO_STATUS)
        wait_until_free(container, now)
        return hold_until(reason, now)

    monkeypatch.setattr("bot.jobs.nudge_delivery.hold_until", meeting_ends_meanwhile)
    run_tick_at(container, clock, slot)
    monkeypatch.undo()
    [held] = nudges(container)
    assert held.status == "pending" and held.due_at <= slot
    assert container.tick()["nudge delivery"]["sent"] == 1
    assert len(posted_nudges(fake_slack)) == 1
