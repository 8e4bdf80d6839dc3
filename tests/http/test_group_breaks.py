"""A group break's whole life through the real app and the fake Slack: `/stretch together` and
`@Stretch Break stretch` (in a channel and in a thread), I'm in with a paced live count, the
exercise in the thread at the start via the tick, Dones counted once and in stats, the closing
count; the refusals (a DM, a channel without the bot, a second request, bad input, another
workspace's click) and a restart or crash between the invitation and the start (the pure rules:
tests/domain/test_group_breaks.py)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.blocks.ids import GROUP_BREAK_DONE, GROUP_BREAK_JOIN
from bot.bootstrap import build
from bot.db.leases import LEASE
from bot.db.models import Completion, GroupBreak, GroupBreakParticipant
from bot.services import group_breaks
from tests.support.answers import button_value
from tests.support.crashes import InstanceCrashed, crash_when_recording
from tests.support.reminder_helpers import run_tick_at, wait_for
from tests.support.slack_limits import message_problems

CHANNEL = "C0001"
PRIVATE = "G0001"
START = datetime(2026, 11, 24, 10, 2, tzinfo=UTC)  # `/stretch together` at 10:00 (the clock)
PEOPLE = ("U0001", "U0002", "U0003", "U0004", "U0005", "U0009")


@pytest.fixture
def team(fake_slack):
    for user in PEOPLE:
        fake_slack.add_user(user, tz="Europe/Berlin")
    fake_slack.add_channel(CHANNEL)  # a public channel the bot was invited to


def replies(fake_slack) -> list[str]:
    return [call.params.get("text", "") for call in fake_slack.calls_to("response_url")]


def ask(slack, fake_slack, text: str = "", channel: str = CHANNEL, user: str = "U0001") -> str:
    before = len(replies(fake_slack))
    slack.command(f"together {text}".strip(), user=user, channel=channel)
    wait_for(lambda: len(replies(fake_slack)) > before)
    return replies(fake_slack)[-1]


def click(slack, fake_slack, action_id: str, value: str, users, channel: str = CHANNEL) -> None:
    before = len(replies(fake_slack))
    for user in users:
        where = {"type": "message", "message_ts": "1.1", "channel_id": channel}
        slack.action(action_id, value, user=user, container=where, channel={"id": channel})
    wait_for(lambda: len(replies(fake_slack)) == before + len(users))


def top_level(fake_slack, channel: str = CHANNEL) -> list[dict]:
    return [m for m in fake_slack.messages(channel) if m.get("thread_ts", m["ts"]) == m["ts"]]


def in_thread(fake_slack, thread_ts: str, channel: str = CHANNEL) -> list[dict]:
    return [m for m in fake_slack.messages(channel) if m.get("thread_ts") == thread_ts]


def updates(fake_slack) -> list[dict]:
    return [call.params for call in fake_slack.calls_to("chat.update")]


def count(container, model, *where) -> int:
    with container.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def the_group_break(container) -> GroupBreak:
    with container.sessions() as session:
        return session.scalars(select(GroupBreak)).one()


def mention(slack, text: str, *, ts: str, user: str = "U0002", thread_ts: str | None = None):
    event = {
        "type": "app_mention",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": CHANNEL,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return slack.event(event)


def ephemerals(fake_slack) -> list[dict]:
    return [call.params for call in fake_slack.calls_to("chat.postEphemeral")]


def test_the_whole_life_of_a_group_break(slack, container, fake_slack, clock, team):
    assert "Group break posted — it starts at <!date^" in ask(slack, fake_slack)
    [invitation] = top_level(fake_slack)
    assert invitation["text"].startswith("Stretch break in 2 minutes")
    assert message_problems(invitation) == []
    assert not fake_slack.calls_to("conversations.join")  # never joins a channel by itself

    # Everyone clicks at once, one twice: counted once each, and no update yet — the
    # invitation was written this very second.
    join = button_value(invitation, GROUP_BREAK_JOIN)
    click(slack, fake_slack, GROUP_BREAK_JOIN, join, ["U0002", "U0003", "U0004", "U0002"])
    assert count(container, GroupBreakParticipant) == 4  # with the starter
    assert any("already in" in text for text in replies(fake_slack))
    assert updates(fake_slack) == []
    run_tick_at(container, clock, datetime(2026, 11, 24, 10, 0, 4, tzinfo=UTC))
    assert updates(fake_slack) == []  # still inside the few seconds
    run_tick_at(container, clock, datetime(2026, 11, 24, 10, 0, 5, tzinfo=UTC))
    [update] = updates(fake_slack)
    assert update["ts"] == invitation["ts"] and "4 people in" in update["text"]
    clock.set(datetime(2026, 11, 24, 10, 0, 11, tzinfo=UTC))  # a click after the window
    click(slack, fake_slack, GROUP_BREAK_JOIN, join, ["U0005"])
    wait_for(lambda: len(updates(fake_slack)) == 2)  # updated by the click itself
    assert "5 people in" in updates(fake_slack)[-1]["text"]

    # The start: the exercise in the invitation's thread, once, from the tick.
    run_tick_at(container, clock, START - timedelta(seconds=1))
    assert in_thread(fake_slack, invitation["ts"]) == []
    report = run_tick_at(container, clock, START)
    assert report["group breaks"]["posted"] == 1
    [exercise] = in_thread(fake_slack, invitation["ts"])
    assert exercise["text"].startswith("Together now: ") and message_problems(exercise) == []
    assert "in the thread" in str(updates(fake_slack)[-1]["blocks"])  # the invitation says so
    run_tick_at(container, clock, START + timedelta(seconds=30))
    assert len(in_thread(fake_slack, invitation["ts"])) == 1

    # Done: counted once per person (double clicks, a Done without I'm in), also as progress.
    done = button_value(exercise, GROUP_BREAK_DONE)
    click(slack, fake_slack, GROUP_BREAK_DONE, done, ["U0002", "U0002", "U0003", "U0009"])
    did_it = GroupBreakParticipant.done_at.is_not(None)
    assert count(container, GroupBreakParticipant, did_it) == 3
    assert count(container, Completion, Completion.source == "together") == 3
    assert sum("(already counted)" in text for text in replies(fake_slack)) == 1
    stats = slack.command("stats", user="U0002").json()
    assert "Today 1," in stats["text"]

    # After the exercise and the grace period: the final count on the invitation.
    closes_at = the_group_break(container).closes_at
    run_tick_at(container, clock, closes_at - timedelta(seconds=1))
    assert the_group_break(container).ended_at is None
    report = run_tick_at(container, clock, closes_at)
    assert report["group breaks"]["closed"] == 1
    # The tick a second ago updated the count: the final one waits out the few seconds.
    run_tick_at(container, clock, closes_at + timedelta(seconds=5))
    final = updates(fake_slack)[-1]
    assert final["text"] == "Stretch break done: 6 people joined · 3 people did it."
    assert message_problems(final) == []
    assert "<!channel>" not in str(fake_slack.calls) and "<!here>" not in str(fake_slack.calls)

    # The channel is free again.
    assert "Group break posted" in ask(slack, fake_slack, "in 5")


def test_a_mention_in_the_channel_and_one_in_a_thread(slack, container, fake_slack, clock, team):
    reply = mention(slack, "<@UBOT> stretch now", ts="1764000000.000100")
    assert reply.status == 200
    wait_for(lambda: len(ephemerals(fake_slack)) == 1)
    assert "Group break posted" in ephemerals(fake_slack)[0]["text"]
    [invitation] = top_level(fake_slack)
    assert "thread_ts" not in invitation and invitation["text"].startswith("Stretch break")
    # Slack delivers the same mention again: nothing new, not even an answer.
    mention(slack, "<@UBOT> stretch now", ts="1764000000.000100")
    run_tick_at(container, clock, clock.now())  # "now": the next tick posts the exercise
    assert len(top_level(fake_slack)) == 1 and len(ephemerals(fake_slack)) == 1
    assert len(in_thread(fake_slack, invitation["ts"])) == 1

    run_tick_at(container, clock, the_group_break(container).closes_at)
    thread = "1764000000.000900"  # a mention in a thread: everything happens in that thread
    mention(slack, "<@UBOT> stretch in 5", ts="1764000001.000100", thread_ts=thread)
    wait_for(lambda: len(in_thread(fake_slack, thread)) == 1)
    [second_invitation] = in_thread(fake_slack, thread)
    assert second_invitation["text"].startswith("Stretch break in 5 minutes")
    run_tick_at(container, clock, clock.now() + timedelta(minutes=5))
    posts = in_thread(fake_slack, thread)
    assert len(posts) == 2 and posts[1]["text"].startswith("Together now: ")
    assert ephemerals(fake_slack)[-1]["thread_ts"] == thread


def test_a_mention_that_asks_something_else_gets_the_usage(slack, container, fake_slack, team):
    mention(slack, "<@UBOT> what can you do?", ts="1764000000.000200")
    wait_for(lambda: ephemerals(fake_slack))
    assert "`@Stretch Break stretch`" in ephemerals(fake_slack)[0]["text"]
    assert count(container, GroupBreak) == 0


def test_a_second_request_says_when_the_current_one_starts(slack, container, fake_slack, team):
    ask(slack, fake_slack, "in 10")
    answer = ask(slack, fake_slack, "now", user="U0002")
    starts = int(START.timestamp()) + 8 * 60
    assert f"already a group break in this channel — it starts at <!date^{starts}^" in answer
    assert count(container, GroupBreak) == 1 and len(top_level(fake_slack)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 99", "1 to 60 minutes — “99”"),
        ("tomorrow", "couldn't read “tomorrow”"),
    ],
)
def test_bad_input_gets_a_clear_answer_with_an_example(
    slack, container, fake_slack, team, text, expected
):
    answer = ask(slack, fake_slack, text)
    assert expected in answer and "`/stretch together in 5`" in answer
    assert count(container, GroupBreak) == 0


def test_in_a_dm_group_breaks_are_explained(slack, container, fake_slack, team):
    assert "Group breaks are for channels" in ask(slack, fake_slack, channel="D0001")
    assert count(container, GroupBreak) == 0


@pytest.mark.parametrize(
    ("channel", "private"),
    [("C0002", False), (PRIVATE, True), ("C0404", None)],  # None: not a channel it can see
)
def test_a_channel_without_the_bot_gets_the_invite_hint(
    slack, container, fake_slack, team, channel, private
):
    if private is not None:
        fake_slack.add_channel(channel, is_member=False, is_private=private)
    assert "/invite @Stretch Break" in ask(slack, fake_slack, channel=channel)
    assert count(container, GroupBreak) == 0  # nothing half-started
    assert not fake_slack.calls_to("chat.postMessage")


def test_a_private_channel_the_bot_is_in_works(slack, container, fake_slack, team):
    fake_slack.add_channel(PRIVATE, is_member=True, is_private=True)
    assert "Group break posted" in ask(slack, fake_slack, channel=PRIVATE)
    assert len(top_level(fake_slack, PRIVATE)) == 1


def test_a_group_break_id_replayed_in_another_channel_counts_nobody(
    slack, container, fake_slack, clock, team
):
    ask(slack, fake_slack)
    run_tick_at(container, clock, START)
    value = json.dumps({"break": the_group_break(container).id})
    click(slack, fake_slack, GROUP_BREAK_JOIN, value, ["U0002"], channel="C0999")
    click(slack, fake_slack, GROUP_BREAK_DONE, value, ["U0001"], channel="C0999")
    assert all("another channel" in text for text in replies(fake_slack)[1:])
    assert count(container, GroupBreakParticipant) == 1  # the starter alone
    assert count(container, Completion) == 0


def test_done_before_the_start_and_unknown_ids_are_answered(slack, container, fake_slack, team):
    ask(slack, fake_slack)
    value = json.dumps({"break": the_group_break(container).id})
    click(slack, fake_slack, GROUP_BREAK_DONE, value, ["U0002"])
    assert "isn't out yet" in replies(fake_slack)[-1]
    click(slack, fake_slack, GROUP_BREAK_JOIN, json.dumps({"break": 999}), ["U0002"])
    assert "is over" in replies(fake_slack)[-1]
    assert count(container, Completion) == 0


def test_a_restart_between_the_invitation_and_the_start_posts_once(
    slack, container, fake_slack, clock, team, config
):
    ask(slack, fake_slack)
    container.close()  # the instance stops; a new one starts before the group break does
    restarted = build(config, clock=clock)
    try:
        run_tick_at(restarted, clock, START)
        run_tick_at(restarted, clock, START + timedelta(seconds=10))
    finally:
        restarted.close()
    [invitation] = top_level(fake_slack)
    assert len(in_thread(fake_slack, invitation["ts"])) == 1


def test_a_crash_after_posting_the_exercise_does_not_post_it_again(
    slack, container, fake_slack, clock, team, config, monkeypatch
):
    """Killed after the post, before recording it: a new instance reclaims the row once the
    lease is out, finds the post among the thread's replies, and records it instead."""
    ask(slack, fake_slack)
    with monkeypatch.context() as patch:
        crash_when_recording(patch, GroupBreak, "posted")
        clock.set(START)
        with pytest.raises(InstanceCrashed):
            container.tick()
    restarted = build(config, clock=clock)
    try:
        run_tick_at(restarted, clock, START + LEASE + timedelta(seconds=1))
    finally:
        restarted.close()
    [invitation] = top_level(fake_slack)
    assert len(in_thread(fake_slack, invitation["ts"])) == 1
    assert fake_slack.calls_to("conversations.replies")
    group_break = the_group_break(container)
    assert group_break.status == "posted" and group_break.attempts == 2


def test_racing_instances_post_the_exercise_exactly_once(
    slack, container, fake_slack, clock, team, config
):
    """Two instances (separate engines and claim names, one database) tick at the same moments
    through the start and the close."""
    ask(slack, fake_slack)
    other = build(config, clock=clock)
    try:
        moment = START - timedelta(seconds=10)
        with ThreadPoolExecutor(max_workers=2) as pool:
            while moment < START + timedelta(minutes=10):
                clock.set(moment)
                for result in [pool.submit(c.tick) for c in (container, other)]:
                    result.result()
                moment += timedelta(seconds=5)
    finally:
        other.close()
    [invitation] = top_level(fake_slack)
    assert len(in_thread(fake_slack, invitation["ts"])) == 1
    assert updates(fake_slack)[-1]["text"].startswith("Stretch break done: 1 person joined")


def test_two_requests_racing_in_one_channel_start_one(
    slack, container, fake_slack, team, monkeypatch
):
    """The second request does not see the first one (as if both read at once): the database's
    one-open-group-break-per-channel index refuses it, and it is told when the first starts."""
    ask(slack, fake_slack, "in 10")
    seen = group_breaks.open_in_channel
    calls = []

    def not_seen_the_first_time(*args):
        calls.append(args)
        return None if len(calls) == 1 else seen(*args)

    monkeypatch.setattr(group_breaks, "open_in_channel", not_seen_the_first_time)
    answer = ask(slack, fake_slack, "now", user="U0002")
    assert "already a group break in this channel" in answer
    assert count(container, GroupBreak) == 1 and len(top_level(fake_slack)) == 1
