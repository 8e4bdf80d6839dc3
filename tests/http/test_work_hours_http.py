"""Work patterns through the real app, with signed requests and the fake Slack: `/stretch hours`
sets and shows the week, refuses what it cannot read without saving anything, and the Settings
modal's rows per weekday save a split shift; reminders are then planned and sent inside the new
windows only. The clock starts on Tuesday 2026-11-24, 10:00 UTC (11:00 in Berlin)."""

from __future__ import annotations

from datetime import time

import pytest

from bot.blocks.settings import SETTINGS_CALLBACK
from bot.blocks.work_hours import HOURS_BLOCKS, SAME_AS_MONDAY_BLOCK
from bot.db.models import DEFAULT_WORK_PATTERN
from bot.db.people import schedule_for
from bot.domain.schedule import next_slot
from tests.support.answers import initial_state, opened_view
from tests.support.reminder_helpers import opt_in, person, posted_nudges, run_tick_at, wait_for
from tests.support.slack_limits import message_problems

MONDAY, TUESDAY = HOURS_BLOCKS[:2]


def local_next_nudge(container):
    me = person(container)
    return me.next_nudge_at.astimezone(schedule_for(me).zone)


def test_hours_sets_the_week_and_a_reminder_comes_inside_the_new_window(
    slack, container, fake_slack, clock
):
    opt_in(slack, fake_slack)
    reply = slack.command("hours tue 15-19 fri 22-6")
    assert reply.status == 200
    answer = reply.json()
    assert message_problems(answer) == []
    text = answer["text"]
    assert text.startswith(
        "Saved. Your work hours (days you did not name are off), in Europe/Berlin"
    )
    assert "Monday: off" in text and "Tuesday: 15:00–19:00" in text
    assert "Friday: 22:00–06:00" in text and "Sunday: off" in text
    me = person(container)
    assert me.work_pattern == ";15:00-19:00;;;22:00-06:00;;"
    due = local_next_nudge(container)
    assert due.date().isoformat() == "2026-11-24" and time(15) < due.time() < time(19)
    assert f"Next reminder at {due:%H:%M}" in text

    slack.event({"type": "app_home_opened", "user": "U0001", "tab": "home", "event_ts": "1.0"})
    wait_for(lambda: "Tue 15:00–19:00; Fri 22:00–06:00" in str(fake_slack.home("U0001")))

    run_tick_at(container, clock, me.next_nudge_at)
    [nudge] = posted_nudges(fake_slack)
    assert nudge  # sent at 15:xx Berlin, inside Tuesday's new window
    after = local_next_nudge(container)
    assert after.time() < time(19) or after.weekday() == 4


@pytest.mark.config(daily_nudge_cap=3)
def test_a_night_shift_is_nudged_after_midnight_and_capped_for_its_evening(
    slack, container, fake_slack, clock
):
    opt_in(slack, fake_slack)
    slack.command("hours tue 22-3")
    times = []
    for _ in range(5):
        due = person(container).next_nudge_at
        run_tick_at(container, clock, due)
        times.append(due.astimezone(schedule_for(person(container)).zone))
    assert [t.strftime("%a %H") for t in times][:2] == ["Tue 23", "Wed 00"]
    assert all(t.hour >= 22 or t.hour < 3 for t in times)
    # Tuesday night's four slots count for Tuesday: three are sent, then next week's first.
    assert [t.strftime("%a") for t in times] == ["Tue", "Wed", "Wed", "Wed", "Tue"]
    assert len(posted_nudges(fake_slack)) == 4


def test_hours_alone_shows_the_week(slack, fake_slack):
    fake_slack.add_user("U0001")
    answer = slack.command("hours").json()
    assert answer["text"].startswith("Your work hours, in Europe/Berlin:")
    assert "Monday: 09:00–17:00" in answer["text"] and "Saturday: off" in answer["text"]
    assert "Reminders are off" in answer["text"]
    assert message_problems(answer) == []


def test_unreadable_hours_name_the_part_and_save_nothing(slack, container, fake_slack):
    opt_in(slack, fake_slack)
    planned = person(container).next_nudge_at
    for text, part in [
        ("hours mon-thu 9-12:30,13:30-17 fri 9-1x", "“1x” in “9-1x”"),
        ("hours mon-fry 9-17", "“mon-fry”"),
        ("hours mon 9-12,11-13", "09:00–12:00 overlaps 11:00–13:00"),
        ("hours mon 9-9:15", "No reminder every 60 minutes fits"),
        ("hours <!channel> 9-17", "“&lt;!channel&gt;”"),
    ]:
        reply = slack.command(text)
        assert reply.status == 200
        answer = reply.json()["text"]
        assert part in answer, answer
        assert "Nothing was saved" in answer and "/stretch hours mon-thu" in answer
        assert person(container).work_pattern == DEFAULT_WORK_PATTERN
        assert person(container).next_nudge_at == planned


def test_help_lists_hours(slack, fake_slack):
    fake_slack.add_user("U0001")
    assert "/stretch hours" in slack.command("help").json()["text"]


def test_settings_rows_save_a_split_shift_with_same_as_monday(slack, container, fake_slack, clock):
    opt_in(slack, fake_slack)
    slack.command("settings")
    values = initial_state(opened_view(fake_slack))
    values[MONDAY][MONDAY]["value"] = "7-11, 15-19"
    values[SAME_AS_MONDAY_BLOCK][SAME_AS_MONDAY_BLOCK]["selected_options"] = [
        {"text": {"type": "plain_text", "text": "Tuesday"}, "value": "1"}
    ]
    values[HOURS_BLOCKS[2]][HOURS_BLOCKS[2]]["value"] = ""
    reply = slack.view_submission(SETTINGS_CALLBACK, values)
    assert reply.status == 200 and reply.body in ("", "{}")
    wait_for(lambda: fake_slack.messages("U0001"))
    me = person(container)
    assert me.work_pattern.startswith("07:00-11:00,15:00-19:00;07:00-11:00,15:00-19:00;;")
    due = local_next_nudge(container)
    assert due.date().isoformat() == "2026-11-24" and time(15) < due.time() < time(19)
    assert me.next_nudge_at == next_slot(schedule_for(me), clock.now())
    assert "Mon, Tue 07:00–11:00, 15:00–19:00" in fake_slack.messages("U0001")[-1]["text"]


def test_a_half_valid_settings_submission_saves_nothing(slack, container, fake_slack):
    opt_in(slack, fake_slack)
    slack.command("settings")
    values = initial_state(opened_view(fake_slack))
    values[MONDAY][MONDAY]["value"] = "7-11"
    values[TUESDAY][TUESDAY]["value"] = "9 till 5"
    reply = slack.view_submission(SETTINGS_CALLBACK, values)
    body = reply.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == [TUESDAY]
    assert "“9 till 5”" in body["errors"][TUESDAY]
    assert person(container).work_pattern == DEFAULT_WORK_PATTERN
