"""What a click storm relies on (issue 16; measured by `bench/storm.py`): a Done is in the
database before Slack gets its ack, whatever waits after it; the answer follows the ack; nobody's
profile is asked for before the ack; and a leaderboard is redrawn within seconds, without
waiting for the tick."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.blocks.ids import CHALLENGE_DONE, DONE
from bot.db.models import Challenge, ChallengeDone, Completion, Person
from bot.domain.people import SlackUser
from bot.jobs.profile_fetches import ProfileFetches
from bot.jobs.tick import Tick, TickScheduler
from tests.support.answers import button, button_value
from tests.support.challenges import CHANNEL, channel_posts
from tests.support.reminder_helpers import run_tick_at, wait_for

NEWCOMER = "U0009"  # in the channel, never used the app


class Held:
    """Stands in for the after-ack queue: keeps the tasks until the test runs them."""

    def __init__(self) -> None:
        self.tasks: list[tuple[str, object]] = []

    def submit(self, name, task) -> None:
        self.tasks.append((name, task))

    def run(self) -> None:
        tasks, self.tasks = self.tasks, []
        for _, task in tasks:
            task()


class Asked:
    """Stands in for the profile fetches: notes whose profile was asked for."""

    def __init__(self) -> None:
        self.who: list[SlackUser] = []

    def fetch(self, client, who) -> bool:
        self.who.append(who)
        return True


@pytest.fixture
def held(container) -> Held:
    container.services.after_ack = held = Held()
    return held


@pytest.fixture
def day_posted(slack, container, fake_slack, clock):
    """A challenge in CHANNEL whose day 1 is posted; the post."""
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    fake_slack.add_user(NEWCOMER, tz="Asia/Tokyo")
    fake_slack.add_channel(CHANNEL)
    slack.command("challenge start 3 days at 14:00", user="U0001", channel=CHANNEL)
    wait_for(lambda: len(channel_posts(fake_slack)) == 1)
    run_tick_at(container, clock, datetime(2026, 11, 24, 13, 0, tzinfo=UTC))  # 14:00 Berlin
    return channel_posts(fake_slack)[-1]


def count(container, model, **where) -> int:
    with container.sessions() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return session.scalar(query)


def answers(fake_slack) -> list[str]:
    return [call.params.get("text", "") for call in fake_slack.calls_to("response_url")]


def test_a_challenge_done_is_counted_before_its_ack_and_answered_after(
    slack, container, fake_slack, held, day_posted
):
    container.services.profiles = asked = Asked()
    answered_before = len(answers(fake_slack))
    users_info_before = len(fake_slack.calls_to("users.info"))
    done = button_value(day_posted, CHALLENGE_DONE)

    reply = slack.action(CHALLENGE_DONE, done, user=NEWCOMER, container=_in_channel(day_posted))

    assert reply.status == 200
    # Acked: the Done is counted and the newcomer has a row, made without asking Slack.
    assert count(container, ChallengeDone) == 1
    assert count(container, Completion, source="challenge") == 1
    with container.sessions() as session:
        newcomer = session.scalar(select(Person).where(Person.slack_user_id == NEWCOMER))
        assert newcomer is not None and newcomer.tz == "UTC"
    assert len(fake_slack.calls_to("users.info")) == users_info_before
    assert [who.user_id for who in asked.who] == [NEWCOMER]  # asked for after the ack
    assert len(answers(fake_slack)) == answered_before  # the answer waits in the queue
    held.run()
    assert "Day 1 done" in answers(fake_slack)[-1]

    # A double click counts once and is told so; the profile is fetched, once.
    slack.action(CHALLENGE_DONE, done, user=NEWCOMER, container=_in_channel(day_posted))
    held.run()
    assert "already counted" in answers(fake_slack)[-1]
    assert count(container, ChallengeDone) == 1
    assert len(asked.who) == 1  # the row exists now: nothing more to ask


def test_the_newcomers_profile_then_sets_their_time_zone(
    slack, container, fake_slack, held, day_posted
):
    fetches = ProfileFetches(container.services.people.user_changed, per_minute=6000)
    container.services.profiles = fetches
    done = button_value(day_posted, CHALLENGE_DONE)
    slack.action(CHALLENGE_DONE, done, user=NEWCOMER, container=_in_channel(day_posted))

    def newcomer_zone() -> str:
        with container.sessions() as session:
            return session.scalar(select(Person.tz).where(Person.slack_user_id == NEWCOMER))

    wait_for(lambda: newcomer_zone() == "Asia/Tokyo")
    fetches.close()


def test_a_card_done_is_counted_before_its_ack_and_answered_after(
    slack, container, fake_slack, held
):
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    card = slack.command("", user="U0001").json()
    held.run()  # anything the command left (nothing today)
    answered_before = len(fake_slack.calls_to("response_url"))

    reply = slack.action(DONE, button(card, DONE)["value"], user="U0001")

    assert reply.status == 200
    assert count(container, Completion) == 1  # counted by the time of the ack
    assert len(fake_slack.calls_to("response_url")) == answered_before
    held.run()
    [answer] = fake_slack.calls_to("response_url")[answered_before:]
    assert answer.params["replace_original"] is True
    assert "Done" in str(answer.params) or "done" in str(answer.params)


@pytest.mark.parametrize("admin", [False, True])
def test_a_refresh_after_a_done_asks_slack_about_admins_only(slack, container, fake_slack, admin):
    """Opening the tab asks whether the person is an admin; a refresh after a Done believes a
    recent "no" (asking cost each Done a users.info), and asks an admin again."""
    fake_slack.add_user("U0001", tz="Europe/Berlin", is_admin=admin)
    first, *cards = [slack.command("", user="U0001").json() for _ in range(3)]
    slack.action(DONE, button(first, DONE)["value"], user="U0001")  # met: profile asked
    wait_for(lambda: len(fake_slack.calls_to("views.publish")) == 1)
    slack.event({"type": "app_home_opened", "user": "U0001", "tab": "home"})
    wait_for(lambda: len(fake_slack.calls_to("views.publish")) == 2)
    asked_before = len(fake_slack.calls_to("users.info"))
    for number, card in enumerate(cards):
        slack.action(DONE, button(card, DONE)["value"], user="U0001")
        wait_for(lambda n=number: len(fake_slack.calls_to("views.publish")) == 3 + n)
    asked_after = len(fake_slack.calls_to("users.info")) - asked_before
    assert asked_after == (2 if admin else 0)
    assert ("*Admin* — for this workspace" in str(fake_slack.home("U0001"))) is admin


def test_the_leaderboard_is_redrawn_within_seconds_without_the_tick(
    slack, container, fake_slack, clock, held, day_posted
):
    """The every-second job redraws it (no more often than every 3 s), not the 5-second tick."""
    clock.advance(seconds=3)  # the day's post redrew it at 13:00
    scheduler = TickScheduler(
        Tick([]), 3600, every_second=container.steps.challenge_posts.refresh_leaderboards
    )
    updates_before = len(fake_slack.calls_to("chat.update"))
    done = button_value(day_posted, CHALLENGE_DONE)
    slack.action(CHALLENGE_DONE, done, user=NEWCOMER, container=_in_channel(day_posted))
    scheduler.start()
    try:
        started = time.monotonic()
        wait_for(lambda: len(fake_slack.calls_to("chat.update")) > updates_before, timeout=3)
        assert time.monotonic() - started < 2.5
        assert f"<@{NEWCOMER}>" in str(fake_slack.calls_to("chat.update")[-1].params["blocks"])
        slack.action(CHALLENGE_DONE, done, user="U0001", container=_in_channel(day_posted))
        time.sleep(1.5)  # the clock stands still: not redrawn again within 3 s of the last
        assert len(fake_slack.calls_to("chat.update")) == updates_before + 1
        clock.advance(seconds=3)
        wait_for(lambda: len(fake_slack.calls_to("chat.update")) == updates_before + 2)
    finally:
        scheduler.stop()


def _in_channel(post: dict) -> dict:
    return {"type": "message", "message_ts": post["ts"], "channel_id": CHANNEL}


def test_two_redraws_picked_at_once_draw_the_board_once(
    slack, container, fake_slack, clock, held, day_posted
):
    """The tick and the every-second job may both pick a board; a Done between the first redraw
    and the second must not let the second draw it again within 3 s."""
    clock.advance(seconds=3)
    posts = container.steps.challenge_posts
    done = button_value(day_posted, CHALLENGE_DONE)
    slack.action(CHALLENGE_DONE, done, user=NEWCOMER, container=_in_channel(day_posted))
    with container.sessions() as session:
        [challenge_id] = session.scalars(select(Challenge.id)).all()
    updates_before = len(fake_slack.calls_to("chat.update"))
    assert posts._refresh(challenge_id, clock.now())  # the first of the two
    slack.action(CHALLENGE_DONE, done, user="U0001", container=_in_channel(day_posted))
    assert not posts._refresh(challenge_id, clock.now())  # the second: too soon
    assert len(fake_slack.calls_to("chat.update")) == updates_before + 1
    clock.advance(seconds=3)
    assert posts.refresh_leaderboards() == 1  # the Done in between is drawn 3 s later
