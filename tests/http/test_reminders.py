"""Scheduled nudges through the real app: opt in with `/stretch on`, tick with a frozen clock,
watch what the fake Slack receives."""

from __future__ import annotations

import contextlib
import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from bot.blocks.ids import DONE, GUIDE_START, MOVED_ANYWAY, SKIP, SNOOZE
from bot.db.leases import LEASE, renew
from bot.db.models import Workspace
from bot.db.people import schedule_for
from bot.domain.schedule import next_slot
from tests.support.answers import button_value
from tests.support.crashes import crash_when_marking_sent
from tests.support.reminder_helpers import (
    completions,
    nudges,
    opt_in,
    person,
    posted_nudges,
    run_tick_at,
    wait_for,
)
from tests.support.slack_limits import message_problems


def test_nobody_is_nudged_without_opting_in(slack, container, fake_slack, clock):
    fake_slack.add_user("U0001")
    slack.command("")
    run_tick_at(container, clock, clock.now() + timedelta(hours=3))
    assert fake_slack.calls_to("chat.postMessage") == []


def test_opt_in_states_the_schedule_and_the_first_nudge_arrives(
    slack, container, fake_slack, clock
):
    reply = opt_in(slack, fake_slack)
    me = person(container)
    expected = next_slot(schedule_for(me), clock.now())
    local = expected.astimezone(schedule_for(me).zone)
    assert me.reminders_on and me.next_nudge_at == expected
    assert reply["text"].startswith(
        ":bell: Reminders on: Weekdays 09:00–17:00 Europe/Berlin, every 60 minutes; next at "
    )
    assert f"next at {local:%H:%M}" in reply["text"]
    assert message_problems(reply) == []

    run_tick_at(container, clock, expected - timedelta(seconds=1))
    assert posted_nudges(fake_slack) == []
    report = run_tick_at(container, clock, expected)
    assert report["nudge delivery"]["sent"] == 1
    [message] = posted_nudges(fake_slack)
    actions = [
        e["action_id"]
        for b in message["blocks"]
        for e in b.get("elements", [])
        if e.get("type") == "button"
    ]
    assert actions == [
        DONE,
        GUIDE_START,
        SNOOZE,
        "exercise_another",
        "exercise_more_like_this",
        "exercise_not_for_me",
        SKIP,
        MOVED_ANYWAY,
    ]
    assert message_problems(message) == []
    container.tick()
    container.tick()
    assert len(posted_nudges(fake_slack)) == 1
    assert person(container).next_nudge_at == next_slot(schedule_for(me), expected)
    assert fake_slack.rejections == []


def test_done_on_a_nudge_records_the_outcome_once(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    run_tick_at(container, clock, person(container).next_nudge_at)
    [message] = posted_nudges(fake_slack)
    for _ in range(2):
        assert slack.action(DONE, button_value(message, DONE)).status == 200
    wait_for(lambda: len(fake_slack.calls_to("response_url")) == 2)
    [nudge] = nudges(container)
    assert nudge.outcome == "done"
    assert completions(container) == 1


def test_dnd_holds_the_nudge_until_it_ends(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    slot = person(container).next_nudge_at
    dnd_end = slot + timedelta(minutes=20)
    slack.event(
        {
            "type": "dnd_updated_user",
            "user": "U0001",
            "event_ts": "1.0",
            "dnd_status": {
                "dnd_enabled": True,
                "next_dnd_start_ts": int((slot - timedelta(minutes=5)).timestamp()),
                "next_dnd_end_ts": int(dnd_end.timestamp()),
            },
        }
    )
    wait_for(lambda: person(container).dnd_end == dnd_end)
    run_tick_at(container, clock, slot)
    assert posted_nudges(fake_slack) == []
    [held] = nudges(container)
    assert held.status == "pending" and held.due_at == dnd_end and "Do Not Disturb" in held.note
    run_tick_at(container, clock, dnd_end - timedelta(seconds=1))
    assert posted_nudges(fake_slack) == []
    run_tick_at(container, clock, dnd_end)
    assert len(posted_nudges(fake_slack)) == 1


def test_meeting_status_holds_until_it_expires(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    slot = person(container).next_nudge_at
    meeting_end = slot + timedelta(minutes=30)
    slack.event(
        {
            "type": "user_change",
            "event_ts": "1.0",
            "user": {
                "id": "U0001",
                "team_id": "T0001",
                "tz": "Europe/Berlin",
                "profile": {
                    "status_text": "In a meeting",
                    "status_emoji": ":spiral_calendar_pad:",
                    "status_expiration": int(meeting_end.timestamp()),
                },
            },
        }
    )
    wait_for(lambda: person(container).status_emoji == ":spiral_calendar_pad:")
    run_tick_at(container, clock, slot)
    assert posted_nudges(fake_slack) == []
    run_tick_at(container, clock, meeting_end)
    assert len(posted_nudges(fake_slack)) == 1


def test_busy_past_the_end_of_work_drops_the_nudge(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    slot = person(container).next_nudge_at
    slack.event(
        {
            "type": "user_change",
            "event_ts": "1.0",
            "user": {
                "id": "U0001",
                "team_id": "T0001",
                "tz": "Europe/Berlin",
                "profile": {
                    "status_text": "Vacationing",
                    "status_emoji": ":palm_tree:",
                    "status_expiration": 0,
                },
            },
        }
    )
    wait_for(lambda: person(container).status_emoji == ":palm_tree:")
    run_tick_at(container, clock, slot)
    [dropped] = nudges(container)
    assert dropped.status == "dropped"
    assert posted_nudges(fake_slack) == []


def test_huddle_holds_and_rechecks(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    slot = person(container).next_nudge_at
    slack.event(
        {
            "type": "user_change",
            "event_ts": "1.0",
            "user": {"id": "U0001", "team_id": "T0001", "profile": {"huddle_state": "in_a_huddle"}},
        }
    )
    wait_for(lambda: person(container).in_huddle)
    run_tick_at(container, clock, slot)
    assert posted_nudges(fake_slack) == []
    slack.event(
        {
            "type": "user_change",
            "event_ts": "2.0",
            "user": {
                "id": "U0001",
                "team_id": "T0001",
                "profile": {"huddle_state": "default_unset"},
            },
        }
    )
    wait_for(lambda: not person(container).in_huddle)
    run_tick_at(container, clock, slot + timedelta(minutes=10))
    assert len(posted_nudges(fake_slack)) == 1


def test_pause_and_resume(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    reply = slack.command("pause 2h").json()
    assert "Paused until 13:00 today" in reply["text"]  # 10:00 UTC is 11:00 in Berlin
    for hours in (1, 2):
        run_tick_at(
            container,
            clock,
            datetime(2026, 11, 24, 10, tzinfo=UTC) + timedelta(hours=hours, minutes=-1),
        )
    assert posted_nudges(fake_slack) == []
    assert person(container).next_nudge_at >= datetime(2026, 11, 24, 12, tzinfo=UTC)
    reply = slack.command("resume").json()
    assert reply["text"].startswith(":arrow_forward: Resumed")
    assert person(container).paused_until is None
    run_tick_at(container, clock, person(container).next_nudge_at)
    assert len(posted_nudges(fake_slack)) == 1


def test_bad_pause_gets_examples(slack, fake_slack):
    fake_slack.add_user("U0001")
    reply = slack.command("pause forever").json()
    assert "couldn't read “forever”" in reply["text"]
    assert "30m" in reply["text"] and "until friday" in reply["text"]


def test_snooze_renudges_once_ten_minutes_later(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    slot = person(container).next_nudge_at
    run_tick_at(container, clock, slot)
    [message] = posted_nudges(fake_slack)
    for _ in range(2):  # a double click snoozes once
        slack.action(SNOOZE, button_value(message, SNOOZE))
    wait_for(lambda: len(fake_slack.calls_to("response_url")) == 2)
    assert "Snoozed" in fake_slack.calls_to("response_url")[0].params["text"]
    run_tick_at(container, clock, slot + timedelta(minutes=9))
    assert len(posted_nudges(fake_slack)) == 1
    run_tick_at(container, clock, slot + timedelta(minutes=10))
    again = posted_nudges(fake_slack)
    assert len(again) == 2 and "Snoozed break" in again[1]["text"]
    original, snooze = nudges(container)
    assert original.outcome == "snoozed" and snooze.kind == "snooze"


def test_skip_is_recorded(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    run_tick_at(container, clock, person(container).next_nudge_at)
    [message] = posted_nudges(fake_slack)
    slack.action(SKIP, button_value(message, SKIP))
    wait_for(lambda: fake_slack.calls_to("response_url"))
    assert "Skipped" in fake_slack.calls_to("response_url")[0].params["text"]
    assert nudges(container)[0].outcome == "skipped"


def test_someone_elses_nudge_buttons_do_nothing(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    run_tick_at(container, clock, person(container).next_nudge_at)
    [message] = posted_nudges(fake_slack)
    fake_slack.add_user("U0002")
    slack.action(SKIP, button_value(message, SKIP), user="U0002")
    wait_for(lambda: fake_slack.calls_to("response_url"))
    assert nudges(container)[0].outcome is None


def test_done_on_someone_elses_nudge_is_refused_and_the_owners_done_still_counts(
    slack, container, fake_slack, clock
):
    opt_in(slack, fake_slack)
    run_tick_at(container, clock, person(container).next_nudge_at)
    [message] = posted_nudges(fake_slack)
    fake_slack.add_user("U0002")
    slack.action(DONE, button_value(message, DONE), user="U0002")  # a replayed button value
    wait_for(lambda: fake_slack.calls_to("response_url"))
    assert "older version" in fake_slack.calls_to("response_url")[0].params["text"]
    assert completions(container) == 0 and nudges(container)[0].outcome is None
    slack.action(DONE, button_value(message, DONE))
    wait_for(lambda: len(fake_slack.calls_to("response_url")) == 2)
    assert completions(container) == 1 and nudges(container)[0].outcome == "done"


@pytest.mark.config(daily_nudge_cap=2)
def test_daily_cap(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    for _ in range(5):
        run_tick_at(container, clock, person(container).next_nudge_at)
    assert len(posted_nudges(fake_slack)) == 2


def test_three_ignored_nudges_halve_the_rest_of_the_day(slack, container, fake_slack, clock):
    clock.set(datetime(2026, 11, 24, 7, 0, tzinfo=UTC))  # 08:00 in Berlin, before work
    opt_in(slack, fake_slack)
    sent_at = []
    for _ in range(7):
        slot = person(container).next_nudge_at
        if slot.astimezone(schedule_for(person(container)).zone).hour >= 17:
            break
        before = len(posted_nudges(fake_slack))
        run_tick_at(container, clock, slot)
        if len(posted_nudges(fake_slack)) > before:
            sent_at.append(slot)
    messages = posted_nudges(fake_slack)
    notices = [m for m in messages if "nudge you every 120 minutes" in str(m["blocks"])]
    assert len(notices) == 1
    assert messages.index(notices[0]) == 3  # the 4th nudge, after three ignored
    gaps = [later - earlier for earlier, later in itertools.pairwise(sent_at[3:])]
    assert gaps and all(gap >= timedelta(minutes=120) for gap in gaps)


def test_deactivated_account_stops_nudges(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    fake_slack.fail_next("chat.postMessage", status=200, error="user_not_found")
    run_tick_at(container, clock, person(container).next_nudge_at)
    assert person(container).deactivated_at is not None
    assert nudges(container)[0].status == "failed"
    run_tick_at(container, clock, clock.now() + timedelta(hours=2))
    assert len(nudges(container)) == 1


def test_rate_limited_send_is_retried_after_retry_after(slack, container, fake_slack, clock):
    """A 429 puts the nudge back with Slack's Retry-After (never slept inside the post, where
    it could outlive the claim's lease)."""
    opt_in(slack, fake_slack)
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=20)
    slot = person(container).next_nudge_at
    run_tick_at(container, clock, slot)
    assert posted_nudges(fake_slack) == []
    [waiting] = nudges(container)
    assert waiting.status == "pending" and "rate limited" in waiting.note
    assert waiting.due_at == slot + timedelta(seconds=20)
    run_tick_at(container, clock, slot + timedelta(seconds=19))
    assert posted_nudges(fake_slack) == []
    run_tick_at(container, clock, slot + timedelta(seconds=20))
    assert len(posted_nudges(fake_slack)) == 1


def test_server_errors_are_retried_with_backoff(slack, container, fake_slack, clock):
    """The client does not resend posts itself (a 5xx may come after the post landed): the
    delivery retries later with back-off, looking in the DM history first."""
    opt_in(slack, fake_slack)
    fake_slack.fail_next("chat.postMessage", status=503, times=2)
    slot = person(container).next_nudge_at
    run_tick_at(container, clock, slot)
    [waiting] = nudges(container)
    assert waiting.status == "pending" and waiting.due_at == slot + timedelta(seconds=30)
    run_tick_at(container, clock, waiting.due_at)
    [waiting] = nudges(container)
    assert waiting.due_at == slot + timedelta(seconds=90)  # 30 s, then 60 s
    run_tick_at(container, clock, waiting.due_at)
    assert len(posted_nudges(fake_slack)) == 1
    assert len(fake_slack.calls_to("conversations.history")) == 2


def test_crash_between_posting_and_marking_sends_once(
    slack, container, fake_slack, clock, monkeypatch
):
    opt_in(slack, fake_slack)
    slot = person(container).next_nudge_at
    with monkeypatch.context() as patch:
        crash_when_marking_sent(patch, SystemExit("killed after posting"))
        with contextlib.suppress(SystemExit):
            run_tick_at(container, clock, slot)
    assert len(posted_nudges(fake_slack)) == 1
    [claimed] = nudges(container)
    assert claimed.status == "sending"
    run_tick_at(container, clock, slot + timedelta(minutes=1))  # lease still held
    run_tick_at(container, clock, slot + timedelta(minutes=3))  # lease expired: reclaimed
    [sent] = nudges(container)
    assert sent.status == "sent" and sent.attempts == 2
    assert len(posted_nudges(fake_slack)) == 1
    assert fake_slack.calls_to("conversations.history")


def test_after_downtime_at_most_one_late_nudge(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    first = person(container).next_nudge_at
    run_tick_at(container, clock, first + timedelta(hours=3, minutes=5))  # down for 3 hours
    late = posted_nudges(fake_slack)
    assert len(late) == 1
    assert [n.kind for n in nudges(container)] == ["late"]
    assert person(container).next_nudge_at > clock.now()


def test_after_downtime_outside_work_hours_no_late_nudge(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    evening = datetime(2026, 11, 24, 19, 30, tzinfo=UTC)  # 20:30 in Berlin
    run_tick_at(container, clock, evening)
    assert posted_nudges(fake_slack) == []
    assert person(container).next_nudge_at > evening


def test_moving_time_zone_replans_in_the_new_zone(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    slack.event(
        {
            "type": "user_change",
            "event_ts": "1.0",
            "user": {"id": "U0001", "team_id": "T0001", "tz": "America/New_York", "profile": {}},
        }
    )
    wait_for(lambda: person(container).tz == "America/New_York")
    moved = person(container)
    assert moved.next_nudge_at == next_slot(schedule_for(moved), clock.now())
    local = moved.next_nudge_at.astimezone(schedule_for(moved).zone)
    assert 9 <= local.hour < 17


def test_a_refused_token_stops_the_workspace_instead_of_retrying(
    slack, container, fake_slack, clock
):
    opt_in(slack, fake_slack)
    fake_slack.fail_next("chat.postMessage", status=200, error="account_inactive")
    run_tick_at(container, clock, person(container).next_nudge_at)
    [dropped] = nudges(container)
    assert dropped.status == "dropped" and "account_inactive" in dropped.note
    with container.sessions() as session:
        assert session.scalar(select(Workspace.active)) is False
    run_tick_at(container, clock, clock.now() + timedelta(hours=2))
    assert len(nudges(container)) == 1 and posted_nudges(fake_slack) == []


@pytest.mark.pacer("scripted")
def test_a_claim_lost_during_the_pacer_wait_is_not_posted(
    slack, container, fake_slack, clock, pacer
):
    """The wait outlived the lease and another instance took the nudge over: this one must not
    post."""
    opt_in(slack, fake_slack)
    slot = person(container).next_nudge_at

    def lease_runs_out(*_args) -> None:
        clock.advance(seconds=LEASE.total_seconds() + 1)
        with container.sessions.begin() as session:
            session.execute(text("UPDATE nudges SET claimed_by = 'someone-else'"))

    pacer.during_wait = lease_runs_out
    report = run_tick_at(container, clock, slot)
    assert report["nudge delivery"] == {"lost": 1}
    assert posted_nudges(fake_slack) == []


@pytest.mark.pacer("scripted")
@pytest.mark.parametrize(("wait_seconds", "renewals"), [(0, 0), (LEASE.total_seconds() - 30, 1)])
def test_a_post_renews_the_claim_only_when_little_lease_is_left(
    slack, container, fake_slack, clock, monkeypatch, pacer, wait_seconds, renewals
):
    """A post needs its claim to outlast it: after a long wait for its turn the lease is renewed
    first (one more write); right after the claim it is not."""
    opt_in(slack, fake_slack)
    slot = person(container).next_nudge_at
    renewed = []

    def counting_renew(*args, **kwargs):
        renewed.append(args)
        return renew(*args, **kwargs)

    pacer.during_wait = lambda *_: clock.advance(seconds=wait_seconds)
    monkeypatch.setattr("bot.jobs.claimed_sends.renew", counting_renew)
    report = run_tick_at(container, clock, slot)
    assert report["nudge delivery"] == {"sent": 1}
    assert len(renewed) == renewals
    [sent] = nudges(container)
    assert sent.attempts == 1 and len(posted_nudges(fake_slack)) == 1


@pytest.mark.pacer("unpaced")  # a month of nudges a real second apart would sleep for minutes
def test_nudges_avoid_the_last_three_exercises_also_across_weekends(
    slack, container, fake_slack, clock
):
    """Each exercise differs from those of the person's three nudges before it — also on
    Monday morning, when the last three are from Friday, far outside the recent nudges that
    planning reads for everyone."""
    opt_in(slack, fake_slack)
    with container.sessions.begin() as session:
        session.execute(text("UPDATE people SET place = 'home'"))  # four exercises to vary
    start = clock.now()
    while clock.now() < start + timedelta(weeks=4):
        run_tick_at(container, clock, person(container).next_nudge_at)
    planned = nudges(container)
    mondays = [
        n
        for before, n in itertools.pairwise(planned)
        if n.slot_at - before.slot_at > timedelta(days=2)
    ]
    assert len(mondays) >= 3
    for index, nudge in enumerate(planned):
        recent = {before.exercise_id for before in planned[max(index - 3, 0) : index]}
        assert nudge.exercise_id is None or nudge.exercise_id not in recent, nudge.slot_at
