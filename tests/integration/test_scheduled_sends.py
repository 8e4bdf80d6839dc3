"""Challenge day posts, challenge results and weekly summaries are sent the way nudges are, and
one nudge's failure never fails its batch.

Challenge days: a 429 comes back after its Retry-After (not a fixed 30 s), other failures back
off, a refused token stops the workspace, posts wait for their turn in the workspace's one send
budget, a claim is renewed before a post that could outlive it, and a day whose claim was lost
or taken over is never posted twice. Weekly summaries wait for their turn in the same budget,
and a refused token stops the workspace for them too.

The pacer runs on fake time here (`bot.bootstrap.Pacer` is replaced before the app is built), so
that waits for a turn cost no real time and can be measured.
"""

from __future__ import annotations

import time as wall
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, text, update

from bot.bootstrap import build
from bot.db.availability import apply_user
from bot.db.leases import LEASE
from bot.db.models import ChallengeDay, ChallengeResult, Nudge, Person, Workspace
from bot.domain.people import SlackUser
from bot.domain.preferences import Preferences
from bot.domain.work_pattern import WorkPattern
from bot.jobs.challenge_posts import METADATA_EVENT
from bot.jobs.challenge_results import METADATA_EVENT as RESULTS_EVENT
from bot.slack.pacing import Budget, Pacer
from tests.support.crashes import (
    BUILD_RESULTS,
    InstanceCrashed,
    crash_on_call,
    crash_when_recording,
)
from tests.support.delivery_sim import Profile
from tests.support.fake_slack import TEAM_ID
from tests.support.pacing import FakeTime

CHANNEL = "C0001"
DAY_ONE = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # 14:00 in Berlin, the clock's Tuesday
WEEKLY_SUMMARY_ON = Preferences(
    WorkPattern.every(range(5), time(9), time(17)), 60, "office", weekly_summary=True
)


class RecordingPacer(Pacer):
    """The bot's pacer on fake time, noting each turn it gives: (channel, fake seconds)."""

    def __init__(self, budget: Budget, fake_time: FakeTime) -> None:
        super().__init__(budget, monotonic=fake_time.monotonic, sleep=fake_time.sleep)
        self._fake_time = fake_time
        self.turns: list[tuple[str, float]] = []

    def wait_turn(self, workspace: str, channel: str) -> None:
        super().wait_turn(workspace, channel)
        self.turns.append((channel, self._fake_time.monotonic()))


@pytest.fixture
def pacers(monkeypatch) -> list[RecordingPacer]:
    """The pacers `build()` makes from now on, on fake time."""
    fake_time = FakeTime()
    made: list[RecordingPacer] = []

    def pacer(budget: Budget) -> RecordingPacer:  # the workspace budgets in the database
        made.append(RecordingPacer(budget, fake_time))
        return made[-1]

    monkeypatch.setattr("bot.bootstrap.Pacer", pacer)
    return made


@pytest.fixture
def container(config, clock, pacers):
    """The app as `build()` wires it, its pacer on fake time."""
    built = build(config, clock=clock)
    yield built
    built.close()


def start_challenge(container, fake_slack, days: str = "3 days at 14:00") -> None:
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    fake_slack.add_channel(CHANNEL)
    container.services.challenges.start(
        SlackUser(TEAM_ID, "U0001"),
        CHANNEL,
        days,
        Profile("U0001", "Europe/Berlin"),
        container.clients.for_team(""),
    )


def day_posts(fake_slack) -> list[dict]:
    return [
        message
        for message in fake_slack.messages(CHANNEL)
        if (message.get("metadata") or {}).get("event_type") == METADATA_EVENT
    ]


def first_day(container) -> ChallengeDay:
    with container.sessions() as session:
        day = session.scalar(select(ChallengeDay).where(ChallengeDay.day_number == 1))
        assert day is not None
        return day


def tick_at(container, clock, at: datetime):
    clock.set(at)
    return container.tick()


def renewed_until(container) -> datetime:
    """The first day's lease, or the dawn of time while it is not claimed yet."""
    return first_day(container).lease_until or datetime.min.replace(tzinfo=UTC)


def wait_until(condition, timeout: float = 10) -> None:
    deadline = wall.monotonic() + timeout
    while not condition():
        assert wall.monotonic() < deadline, "timed out"
        wall.sleep(0.01)


@pytest.mark.parametrize("retry_after", [5, 90])
def test_a_rate_limited_day_is_posted_after_its_retry_after(
    container, fake_slack, clock, retry_after
):
    """Retry-After 5 s: posted 5 s later, not 30; Retry-After 90 s: not before."""
    start_challenge(container, fake_slack)
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=retry_after)
    report = tick_at(container, clock, DAY_ONE)
    assert report["challenge posts"]["retry"] == 1
    waiting = first_day(container)
    assert (waiting.status, waiting.due_at) == ("pending", DAY_ONE + timedelta(seconds=retry_after))
    tick_at(container, clock, waiting.due_at - timedelta(seconds=1))
    assert day_posts(fake_slack) == []
    report = tick_at(container, clock, waiting.due_at)
    assert report["challenge posts"]["posted"] == 1
    assert len(day_posts(fake_slack)) == 1
    assert first_day(container).attempts == 2


def test_a_day_whose_post_failed_otherwise_backs_off_like_a_nudge(container, fake_slack, clock):
    """A 5xx may come after the post: retried after 30 s, then 60 s, each time looking in the
    channel first."""
    start_challenge(container, fake_slack)
    fake_slack.fail_next("chat.postMessage", status=503, times=2)
    tick_at(container, clock, DAY_ONE)
    assert first_day(container).due_at == DAY_ONE + timedelta(seconds=30)
    tick_at(container, clock, DAY_ONE + timedelta(seconds=30))
    assert first_day(container).due_at == DAY_ONE + timedelta(seconds=90)
    tick_at(container, clock, DAY_ONE + timedelta(seconds=90))
    assert first_day(container).status == "posted" and len(day_posts(fake_slack)) == 1
    assert len(fake_slack.calls_to("conversations.history")) == 2


def test_a_refused_token_stops_the_workspace(container, fake_slack, clock):
    start_challenge(container, fake_slack)
    fake_slack.fail_next("chat.postMessage", status=200, error="invalid_auth")
    tick_at(container, clock, DAY_ONE)
    with container.sessions() as session:
        assert session.scalar(select(Workspace.active)) is False
    day = first_day(container)
    assert (day.status, day.due_at) == ("pending", DAY_ONE + timedelta(hours=1))
    assert day_posts(fake_slack) == []


def test_nudges_and_challenge_days_share_one_send_budget(config, clock, fake_slack, pacers):
    """With a budget of one send a second, a nudge and a challenge day due at the same moment go
    a second apart, through the one pacer `build()` makes."""
    container = build(config.model_copy(update={"workspace_sends_per_minute": 60}), clock=clock)
    try:
        start_challenge(container, fake_slack)
        container.services.reminders.turn_on(
            SlackUser(TEAM_ID, "U0001"), Profile("U0001", "Europe/Berlin")
        )
        with container.sessions.begin() as session:
            session.execute(update(Person).values(next_nudge_at=DAY_ONE))
        report = tick_at(container, clock, DAY_ONE)
    finally:
        container.close()
    assert report["nudge delivery"]["sent"] == 1 and report["challenge posts"]["posted"] == 1
    [pacer] = pacers
    [(nudge_channel, nudge_turn), (day_channel, day_turn)] = pacer.turns
    assert (nudge_channel, day_channel) == ("U0001", CHANNEL)
    assert day_turn - nudge_turn >= 0.99


def test_weekly_summaries_wait_for_their_turn_in_the_same_budget(
    container, fake_slack, clock, pacers
):
    """A challenge day and a weekly summary due on Friday at 17:30 in Berlin."""
    start_challenge(container, fake_slack, "5 days at 17:30")
    container.services.reminders.save_preferences(
        SlackUser(TEAM_ID, "U0001"),
        Profile("U0001", "Europe/Berlin"),
        WEEKLY_SUMMARY_ON,
    )
    report = tick_at(container, clock, datetime(2026, 11, 27, 16, 30, tzinfo=UTC))
    assert report["weekly summaries"]["sent"] == 1 and report["challenge posts"]["posted"] == 1
    assert [channel for channel, _ in pacers[0].turns] == [CHANNEL, "U0001"]


def test_a_refused_token_stops_the_workspace_for_weekly_summaries_too(container, fake_slack, clock):
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    container.services.reminders.save_preferences(
        SlackUser(TEAM_ID, "U0001"), Profile("U0001", "Europe/Berlin"), WEEKLY_SUMMARY_ON
    )
    fake_slack.fail_next("chat.postMessage", status=200, error="token_revoked")
    report = tick_at(container, clock, datetime(2026, 11, 27, 16, 30, tzinfo=UTC))
    assert report["weekly summaries"]["sent"] == 0
    with container.sessions() as session:
        assert session.scalar(select(Workspace.active)) is False


def test_a_claim_is_renewed_before_a_slow_post_so_no_one_takes_it_over(
    container, config, fake_slack, clock, pacers, monkeypatch
):
    """The wait for a turn left 30 s of the lease and the post takes a while: the claim is
    renewed first, so a second instance ticking after the old lease ran out, mid-post, does not
    take the day over and post it again."""
    start_challenge(container, fake_slack)
    monkeypatch.setattr(
        pacers[0], "wait_turn", lambda *_: clock.advance(seconds=LEASE.total_seconds() - 30)
    )
    fake_slack.fail_next("chat.postMessage", status=None, delay=1.5)  # posted 1.5 s late
    clock.set(DAY_ONE)
    other = build(config, clock=clock)
    with ThreadPoolExecutor(1) as background:
        posting = background.submit(container.tick)
        try:
            wait_until(lambda: renewed_until(container) > DAY_ONE + LEASE)
            clock.set(DAY_ONE + LEASE + timedelta(seconds=1))  # the first lease is over
            other.tick()
            assert first_day(container).claimed_by == container.steps.challenge_posts.instance
        finally:
            other.close()
        assert posting.result()["challenge posts"]["posted"] == 1
    day = first_day(container)
    assert (day.status, day.attempts) == ("posted", 1)
    assert len(day_posts(fake_slack)) == 1


def test_a_day_posted_before_a_crash_is_found_in_the_channel_not_posted_again(
    container, fake_slack, clock, monkeypatch
):
    """Killed between the post and recording it: once the lease runs out the day is claimed
    again, and the channel's history shows it was posted."""
    start_challenge(container, fake_slack)

    with monkeypatch.context() as patch, pytest.raises(InstanceCrashed):
        crash_when_recording(patch, ChallengeDay, "posted")
        tick_at(container, clock, DAY_ONE)
    [message] = day_posts(fake_slack)
    tick_at(container, clock, DAY_ONE + timedelta(minutes=1))  # the lease still holds
    assert first_day(container).status == "sending"
    tick_at(container, clock, DAY_ONE + LEASE + timedelta(seconds=1))
    day = first_day(container)
    assert (day.status, day.attempts, day.ts) == ("posted", 2, message["ts"])
    assert day_posts(fake_slack) == [message]


def test_a_day_whose_claim_was_taken_over_during_the_wait_is_not_posted(
    container, fake_slack, clock, pacers, monkeypatch
):
    """The wait for a turn outlived the lease and another instance took the day over."""
    start_challenge(container, fake_slack)

    def lease_runs_out(*_args) -> None:
        clock.advance(seconds=LEASE.total_seconds() + 1)
        with container.sessions.begin() as session:
            session.execute(text("UPDATE challenge_days SET claimed_by = 'someone-else'"))

    monkeypatch.setattr(pacers[0], "wait_turn", lease_runs_out)
    report = tick_at(container, clock, DAY_ONE)
    assert report["challenge posts"]["lost"] == 1
    assert day_posts(fake_slack) == []


# --- challenge results -------------------------------------------------------------------------

THE_DAY_AFTER = DAY_ONE + timedelta(days=1)  # the one-day challenge is over: it ends


def results_posts(fake_slack) -> list[dict]:
    return [
        message
        for message in fake_slack.messages(CHANNEL)
        if (message.get("metadata") or {}).get("event_type") == RESULTS_EVENT
    ]


def results_row(container) -> ChallengeResult:
    with container.sessions() as session:
        found = session.scalar(select(ChallengeResult))
        assert found is not None
        return found


def test_a_crash_between_ending_and_posting_posts_the_results_once_the_lease_runs_out(
    container, fake_slack, clock, monkeypatch
):
    """Killed after the challenge was marked ended, before its results were posted: they are
    not lost, and posted once."""
    start_challenge(container, fake_slack, "1 day at 14:00")
    tick_at(container, clock, DAY_ONE)
    with monkeypatch.context() as patch, pytest.raises(InstanceCrashed):
        crash_on_call(patch, BUILD_RESULTS)
        tick_at(container, clock, THE_DAY_AFTER)
    assert results_posts(fake_slack) == []
    tick_at(container, clock, THE_DAY_AFTER + timedelta(minutes=1))  # the lease still holds
    assert results_posts(fake_slack) == []
    report = tick_at(container, clock, THE_DAY_AFTER + LEASE + timedelta(seconds=1))
    assert report["challenge results"]["posted"] == 1
    [posted] = results_posts(fake_slack)
    assert posted["text"].startswith("The stretch challenge is over")
    tick_at(container, clock, THE_DAY_AFTER + timedelta(hours=1))
    assert results_posts(fake_slack) == [posted]


def test_results_posted_before_a_crash_are_found_in_the_channel_not_posted_again(
    container, fake_slack, clock, monkeypatch
):
    start_challenge(container, fake_slack, "1 day at 14:00")
    tick_at(container, clock, DAY_ONE)
    with monkeypatch.context() as patch, pytest.raises(InstanceCrashed):
        crash_when_recording(patch, ChallengeResult, "posted")
        tick_at(container, clock, THE_DAY_AFTER)
    [message] = results_posts(fake_slack)
    tick_at(container, clock, THE_DAY_AFTER + LEASE + timedelta(seconds=1))
    row = results_row(container)
    assert (row.status, row.attempts, row.ts) == ("posted", 2, message["ts"])
    assert results_posts(fake_slack) == [message]


def test_results_hit_by_a_429_and_5xxs_are_posted_once(container, fake_slack, clock):
    """A 429 waits for its Retry-After; a 500 backs off and looks in the channel first."""
    start_challenge(container, fake_slack, "1 day at 14:00")
    tick_at(container, clock, DAY_ONE)
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=7)
    assert tick_at(container, clock, THE_DAY_AFTER)["challenge results"]["retry"] == 1
    assert results_row(container).due_at == THE_DAY_AFTER + timedelta(seconds=7)
    fake_slack.fail_next("chat.postMessage", status=500)
    at = THE_DAY_AFTER + timedelta(seconds=7)
    assert tick_at(container, clock, at)["challenge results"]["retry"] == 1
    assert results_row(container).due_at == at + timedelta(seconds=60)  # the second attempt
    assert tick_at(container, clock, at + timedelta(seconds=60))["challenge results"]["posted"] == 1
    assert len(results_posts(fake_slack)) == 1
    assert results_row(container).attempts == 3


# --- one nudge's failure -----------------------------------------------------------------------


def test_an_exception_delivering_one_nudge_fails_that_nudge_alone(
    container, fake_slack, clock, monkeypatch, caplog
):
    """Applying one person's profile raises: that nudge is retried with backoff and logged in one
    line; the batch's other nudges are posted and recorded."""
    users = ["U0001", "U0002", "U0003"]
    for user in users:
        fake_slack.add_user(user, tz="Europe/Berlin")
        container.services.reminders.turn_on(
            SlackUser(TEAM_ID, user), Profile(user, "Europe/Berlin")
        )
    with container.sessions.begin() as session:
        session.execute(update(Person).values(next_nudge_at=DAY_ONE, availability_checked_at=None))

    def bad_profile(person, user, now):
        if user["id"] == "U0002":
            raise ValueError("a profile the bot cannot read")
        return apply_user(person, user, now)

    monkeypatch.setattr("bot.jobs.nudge_delivery.apply_user", bad_profile)
    report = tick_at(container, clock, DAY_ONE)
    assert (report["nudge delivery"]["sent"], report["nudge delivery"]["retry"]) == (2, 1)
    with container.sessions() as session:
        nudges = {
            user: nudge
            for nudge, user in session.execute(
                select(Nudge, Person.slack_user_id).join(Person, Person.id == Nudge.person_id)
            )
        }
    assert {nudges[u].status for u in ("U0001", "U0003")} == {"sent"}
    bad = nudges["U0002"]
    assert (bad.status, bad.due_at) == ("pending", DAY_ONE + timedelta(seconds=30))
    assert "ValueError: a profile the bot cannot read" in (bad.note or "")
    [logged] = [r for r in caplog.records if "cannot read" in r.getMessage()]
    assert logged.exc_info is None and "\n" not in logged.getMessage()
