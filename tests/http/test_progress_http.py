"""Progress through the real app: `/stretch stats`, the Home tab with any amount of history,
the weekly summary, and `/stretch forget me`."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select

from bot.blocks.ids import DONE, FORGET_ME
from bot.blocks.settings import SETTINGS_CALLBACK, SUMMARY_BLOCK, SUMMARY_ON
from bot.db.models import Base, Completion, Nudge, Person
from tests.support.answers import ack_body, button, button_value, initial_state, opened_view
from tests.support.challenges import CHANNEL, channel_posts
from tests.support.reminder_helpers import (
    opt_in,
    people_lookups,
    person,
    posted_nudges,
    run_tick_at,
    wait_for,
)
from tests.support.slack_limits import message_problems, view_problems


def do_one(slack, fake_slack, user: str = "U0001") -> None:
    before = len(fake_slack.calls_to("response_url"))
    slack.action(DONE, button(ack_body(slack.command("", user=user)), DONE)["value"], user=user)
    wait_for(lambda: len(fake_slack.calls_to("response_url")) > before)


def open_home(slack, fake_slack, user: str = "U0001") -> dict:
    before = len(fake_slack.calls_to("views.publish"))
    slack.event({"type": "app_home_opened", "user": user, "tab": "home", "event_ts": "1.0"})
    wait_for(lambda: len(fake_slack.calls_to("views.publish")) > before)
    view = fake_slack.calls_to("views.publish")[-1].params["view"]
    assert view_problems(view) == [] and len(view["blocks"]) <= 100
    return view


def test_stats_show_today_and_the_streak(slack, fake_slack):
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    do_one(slack, fake_slack)
    do_one(slack, fake_slack)
    body = ack_body(slack.command("stats"))
    assert body["response_type"] == "ephemeral"  # only the owner sees their numbers
    assert "2" in body["text"]
    assert "Mo Tu We Th Fr Sa Su" in str(body["blocks"])


def test_stats_for_someone_new(slack, fake_slack):
    fake_slack.add_user("U0001")
    body = ack_body(slack.command("stats"))
    assert "No stretches yet" in body["text"]


def test_home_for_a_new_person(slack, fake_slack):
    fake_slack.add_user("U0001")
    view = open_home(slack, fake_slack)
    assert "Reminders are off" in str(view) and "not medical advice" in str(view)
    assert "Start a stretch" in str(view)


def test_home_for_an_active_person_refreshes_after_done(slack, fake_slack, container):
    opt_in(slack, fake_slack)
    do_one(slack, fake_slack)
    wait_for(lambda: fake_slack.home("U0001") is not None)
    home = str(fake_slack.home("U0001"))
    assert "Reminders on" in home and "Pause for today" in home


def test_home_looks_the_person_up_once(slack, fake_slack, container):
    opt_in(slack, fake_slack)
    do_one(slack, fake_slack)
    wait_for(lambda: fake_slack.home("U0001") is not None)  # the Done's refresh is over
    with people_lookups(container) as lookups:
        assert "Reminders on" in str(open_home(slack, fake_slack))
    assert len(lookups) == 1


def test_home_with_a_year_of_history_stays_within_limits(slack, fake_slack, container, clock):
    opt_in(slack, fake_slack)
    me = person(container)
    rng = random.Random(7)
    ids = [e.id for e in container.services.stretches.libraries.seed.exercises]
    with container.sessions.begin() as session:
        for day in range(365):
            at = clock.now() - timedelta(days=day, hours=rng.randint(0, 6))
            for n in range(rng.randint(0, 4)):
                session.add(
                    Completion(
                        person_id=me.id,
                        exercise_id=rng.choice(ids),
                        source="command",
                        completed_at=at + timedelta(minutes=n),
                        dedupe_key=f"history:{day}:{n}",
                    )
                )
            session.add(
                Nudge(
                    person_id=me.id,
                    slot_at=at,
                    due_at=at,
                    kind="scheduled",
                    exercise_id=ids[0],
                    status="sent",
                    attempts=1,
                    sent_at=at,
                    outcome=rng.choice(["done", "skipped", "ignored", None]),
                    backoff_notice=False,
                    created_at=at,
                )
            )
    view = open_home(slack, fake_slack)
    assert "Your progress" in str(view)
    stats = ack_body(slack.command("stats"))
    assert message_problems(stats) == []


def test_weekly_summary_once_after_the_last_work_day(slack, fake_slack, container, clock):
    opt_in(slack, fake_slack)
    slack.command("settings")
    values = initial_state(opened_view(fake_slack))
    values[SUMMARY_BLOCK][SUMMARY_BLOCK]["selected_options"] = [
        {"text": {"type": "plain_text", "text": "Send me a weekly summary"}, "value": SUMMARY_ON}
    ]
    assert slack.view_submission(SETTINGS_CALLBACK, values).status == 200
    wait_for(lambda: fake_slack.messages("U0001"))  # the settings confirmation
    assert person(container).weekly_summary
    do_one(slack, fake_slack)
    before = len(fake_slack.messages("U0001"))
    friday_evening = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # 17:30 in Berlin
    run_tick_at(container, clock, datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # still at work

    def summaries():
        nudges = posted_nudges(fake_slack)
        return [m for m in fake_slack.messages("U0001")[before:] if m not in nudges]

    assert summaries() == []
    run_tick_at(container, clock, friday_evening)
    run_tick_at(container, clock, friday_evening + timedelta(minutes=5))
    assert len(summaries()) == 1
    assert "week" in summaries()[0]["text"].lower()
    assert message_problems(summaries()[0]) == []


def test_forget_me_leaves_no_row_about_the_person(slack, fake_slack, container, clock):
    opt_in(slack, fake_slack)
    fake_slack.add_channel(CHANNEL)
    slack.command("pause 1h")
    slack.command("resume")
    do_one(slack, fake_slack)
    run_tick_at(container, clock, person(container).next_nudge_at)
    slack.command("challenge start 3 days at 14:00", channel=CHANNEL)
    wait_for(lambda: channel_posts(fake_slack))
    run_tick_at(container, clock, datetime(2026, 11, 24, 13, 0, tzinfo=UTC))
    day = channel_posts(fake_slack)[-1]
    slack.action("challenge_done", button_value(day, "challenge_done"))
    fake_slack.add_user("U0002")
    do_one(slack, fake_slack, user="U0002")  # someone else's data stays
    wait_for(lambda: len(fake_slack.calls_to("response_url")) >= 4)

    nudged = len(posted_nudges(fake_slack))
    confirm = ack_body(slack.command("forget me"))
    assert "can't be undone" in confirm["text"]
    slack.action(FORGET_ME, "confirm")
    wait_for(
        lambda: (
            "everything I stored about you is deleted"
            in str(fake_slack.calls_to("response_url")[-1].params)
        )
    )

    with container.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()).mappings():
                assert "U0001" not in {str(v) for v in row.values()}, (table.name, row)
                if "person_id" in row:
                    assert row["person_id"] != 1, (table.name, row)
        assert inspect(connection).has_table("people")
    with container.sessions() as session:
        assert session.scalar(select(Person.slack_user_id)) == "U0002"
    run_tick_at(container, clock, clock.now() + timedelta(hours=2))
    assert len(posted_nudges(fake_slack)) == nudged  # no more nudges
