"""A challenge's whole life through the real app: start, joins, daily posts, Dones (doubled),
leaderboard updates, a late post after downtime, the end and its results (the plan and the
start command's grammar alone: tests/domain/test_challenge_plans.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.blocks.ids import CHALLENGE_DONE, CHALLENGE_JOIN, CHALLENGE_LEAVE
from bot.db.models import Challenge, ChallengeDay, ChallengeDone, ChallengeMember, Completion
from tests.support.answers import button_value
from tests.support.challenges import CHANNEL, channel_posts
from tests.support.reminder_helpers import run_tick_at, wait_for
from tests.support.slack_limits import message_problems


def ephemeral_replies(fake_slack) -> list[str]:
    return [call.params.get("text", "") for call in fake_slack.calls_to("response_url")]


def start(slack, fake_slack, text: str = "3 days at 14:00", user: str = "U0001") -> str:
    before = len(fake_slack.calls_to("response_url"))
    slack.command(f"challenge start {text}", user=user, channel=CHANNEL)
    wait_for(lambda: len(fake_slack.calls_to("response_url")) > before)
    return ephemeral_replies(fake_slack)[-1]


def count(container, model) -> int:
    with container.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def team(fake_slack):
    for user in ("U0001", "U0002", "U0003"):
        fake_slack.add_user(user, tz="Europe/Berlin")
    fake_slack.add_channel(CHANNEL, is_member=False)  # a public channel the bot is not in


def test_the_whole_life_of_a_challenge(slack, container, fake_slack, clock, team):
    answer = start(slack, fake_slack)
    assert "Challenge started: 3 work days from Tue 24 Nov, daily at 14:00" in answer
    assert fake_slack.calls_to("conversations.join")  # joined the public channel to post
    [announcement] = channel_posts(fake_slack)
    assert "Stretch challenge" in announcement["text"]
    assert message_problems(announcement) == []

    join = button_value(announcement, CHALLENGE_JOIN)
    slack.action(CHALLENGE_JOIN, join, user="U0002")
    slack.action(CHALLENGE_JOIN, join, user="U0003")
    wait_for(lambda: len(fake_slack.calls_to("response_url")) == 3)  # listeners run concurrently
    slack.action(CHALLENGE_LEAVE, join, user="U0003")
    wait_for(lambda: len(fake_slack.calls_to("response_url")) == 4)

    run_tick_at(container, clock, datetime(2026, 11, 24, 12, 59, tzinfo=UTC))
    assert len(channel_posts(fake_slack)) == 1
    run_tick_at(container, clock, datetime(2026, 11, 24, 13, 0, tzinfo=UTC))  # 14:00 Berlin
    day1 = channel_posts(fake_slack)[-1]
    assert day1["text"].startswith("Challenge day 1 of 3")
    assert message_problems(day1) == []
    leaderboard = fake_slack.calls_to("chat.update")[-1].params
    assert "<@U0001>" in str(leaderboard["blocks"]) and "<@U0002>" in str(leaderboard["blocks"])
    assert "<@U0003>" not in str(leaderboard["blocks"])  # left

    done = button_value(day1, CHALLENGE_DONE)
    for user in ("U0001", "U0001", "U0002", "U0003"):  # a double click, and a non-member
        slack.action(CHALLENGE_DONE, done, user=user)
    wait_for(lambda: len(fake_slack.calls_to("response_url")) == 8)
    assert count(container, ChallengeDone) == 3
    assert count(container, Completion) == 3  # also personal progress
    assert any("already counted" in text for text in ephemeral_replies(fake_slack))

    updates_before = len(fake_slack.calls_to("chat.update"))
    run_tick_at(container, clock, datetime(2026, 11, 24, 13, 1, tzinfo=UTC))
    assert len(fake_slack.calls_to("chat.update")) == updates_before + 1
    board = str(fake_slack.calls_to("chat.update")[-1].params["blocks"])
    assert "channel total: 3" in board and "<@U0003>" in board  # Done joins

    slack.command("challenge status", user="U0002", channel=CHANNEL)
    wait_for(lambda: "channel total 3" in ephemeral_replies(fake_slack)[-1])

    # Day 2: the bot is down at 14:00 and back at 20:00 the same day — a late post.
    run_tick_at(container, clock, datetime(2026, 11, 25, 19, 0, tzinfo=UTC))
    assert channel_posts(fake_slack)[-1]["text"].startswith("Challenge day 2 of 3")
    # Day 3: down all day; on Friday it is missed, not posted out of place, and the end comes.
    run_tick_at(container, clock, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    with container.sessions() as session:
        statuses = session.scalars(select(ChallengeDay.status).order_by(ChallengeDay.day_number))
        assert list(statuses) == ["posted", "posted", "missed"]
    results = channel_posts(fake_slack)[-1]
    assert results["text"].startswith("The stretch challenge is over: 3 stretches in 2 days")
    assert message_problems(results) == []
    assert fake_slack.rejections == []
    run_tick_at(container, clock, datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    assert channel_posts(fake_slack)[-1] == results  # ended once


def test_one_active_challenge_per_channel(slack, fake_slack, team):
    start(slack, fake_slack)
    assert "already has a challenge running" in start(slack, fake_slack, "5 days")


def test_only_the_starter_or_an_admin_can_end_it(slack, container, fake_slack, team):
    """The results go out with the next tick, which posts them once."""
    start(slack, fake_slack)
    slack.command("challenge end", user="U0002", channel=CHANNEL)
    wait_for(lambda: "Only <@U0001>" in ephemeral_replies(fake_slack)[-1])
    fake_slack.add_user("U0009", is_admin=True)
    slack.command("challenge end", user="U0009", channel=CHANNEL)
    wait_for(lambda: "Challenge ended" in ephemeral_replies(fake_slack)[-1])
    assert container.tick()["challenge results"]["posted"] == 1
    assert channel_posts(fake_slack)[-1]["text"].startswith("The stretch challenge is over")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("start 0 days", "1 to 30 work days"),
        ("start 100 days", "1 to 30 work days"),
        ("start at 25:00", "isn't a time of day"),
        ("start soon", "couldn't read “soon”"),
        ("dance", "I don't know `/stretch challenge dance`"),
    ],
)
def test_bad_input_gets_a_clear_answer(slack, fake_slack, team, text, expected):
    slack.command(f"challenge {text}", channel=CHANNEL)
    wait_for(lambda: ephemeral_replies(fake_slack))
    assert expected in ephemeral_replies(fake_slack)[0]


def test_in_a_dm_challenges_are_explained(slack, fake_slack, team):
    slack.command("challenge start", channel="D0001")
    wait_for(lambda: ephemeral_replies(fake_slack))
    assert "Challenges are for channels" in ephemeral_replies(fake_slack)[0]


def test_a_private_channel_without_the_bot_gets_invite_instructions(
    slack, fake_slack, container, team
):
    slack.command("challenge start", channel="G0PRIVATE")
    wait_for(lambda: ephemeral_replies(fake_slack))
    assert "/invite @Stretch Break" in ephemeral_replies(fake_slack)[0]
    assert count(container, Challenge) == 0  # nothing half-started


def test_racing_instances_post_each_day_exactly_once(
    slack, container, fake_slack, clock, team, config
):
    """Two instances (separate engines and claim names, one database) tick at the same moments."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import timedelta

    from bot.bootstrap import build

    start(slack, fake_slack, "5 days at 14:00")
    other = build(config, clock=clock)
    try:
        moment = datetime(2026, 11, 24, 12, 50, tzinfo=UTC)
        with ThreadPoolExecutor(max_workers=2) as pool:
            while moment < datetime(2026, 12, 2, 12, 0, tzinfo=UTC):
                clock.set(moment)
                for result in [pool.submit(c.tick) for c in (container, other)]:
                    result.result()
                moment += timedelta(minutes=10)
    finally:
        other.close()
    day_posts = [
        m
        for m in channel_posts(fake_slack)
        if (m.get("metadata") or {}).get("event_type") == "stretch_challenge_day"
    ]
    day_ids = [m["metadata"]["event_payload"]["day_id"] for m in day_posts]
    assert len(day_ids) == 5 and len(set(day_ids)) == 5
    results = [m for m in channel_posts(fake_slack) if "challenge is over" in m["text"]]
    assert len(results) == 1


def test_a_challenge_id_clicked_outside_its_channel_enrols_nobody(
    slack, container, fake_slack, team
):
    """Join, Leave and Done carry the challenge's (or day's) id; one replayed from another
    channel — of this workspace or another — acts on nothing, nor does it create a person."""
    start(slack, fake_slack)
    [announcement] = channel_posts(fake_slack)
    members_before = count(container, ChallengeMember)
    elsewhere = {"type": "message", "message_ts": "1.2", "channel_id": "C0OTHER"}
    slack.action(
        CHALLENGE_JOIN,
        button_value(announcement, CHALLENGE_JOIN),
        user="U0002",
        team="T0002",
        container=elsewhere,
    )
    with container.sessions.begin() as session:
        day = session.scalars(select(ChallengeDay)).first()
        day.status = "posted"
        day_id = day.id
    slack.action(CHALLENGE_DONE, json.dumps({"day": day_id}), user="U0002", container=elsewhere)
    slack.action(CHALLENGE_LEAVE, button_value(announcement, CHALLENGE_LEAVE), container=elsewhere)
    wait_for(lambda: len(fake_slack.calls_to("response_url")) == 4)
    assert count(container, ChallengeMember) == members_before
    assert count(container, ChallengeDone) == 0 and count(container, Completion) == 0
    with container.sessions() as session:
        assert session.scalars(select(ChallengeMember.active)).all() == [True]
    assert all("another channel" in text for text in ephemeral_replies(fake_slack)[1:])
