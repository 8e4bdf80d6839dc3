"""The after-ack queue (`bot.jobs.after_ack`) and the paced profile fetches
(`bot.jobs.profile_fetches`): nothing they are given is run twice, and what happens when too
much waits is defined — the queue's caller runs the task itself, the profile fetch is dropped."""

from __future__ import annotations

import threading
import time

from bot.domain.people import SlackUser
from bot.jobs.after_ack import AfterAck
from bot.jobs.profile_fetches import ProfileFetches
from tests.support.reminder_helpers import wait_for


def test_tasks_run_once_each_off_the_callers_thread():
    queue = AfterAck(threads=2, capacity=10)
    ran: list[tuple[int, str]] = []
    for number in range(5):
        queue.submit("task", lambda n=number: ran.append((n, threading.current_thread().name)))
    queue.join()
    assert sorted(n for n, _ in ran) == [0, 1, 2, 3, 4]
    assert all(name.startswith("after-ack-") for _, name in ran)
    assert queue.counts.queued == 5 and queue.counts.ran_inline == 0
    queue.close()


def test_a_full_queue_makes_the_caller_run_the_task_itself():
    """Back-pressure, never loss: the request's thread does the work it brought."""
    queue = AfterAck(threads=1, capacity=1)
    release = threading.Event()
    started = threading.Event()

    def blocker() -> None:
        started.set()
        release.wait(5)

    queue.submit("blocker", blocker)  # taken by the one thread
    started.wait(5)
    queue.submit("waits", lambda: None)  # fills the queue's one place
    ran_on: list[str] = []
    queue.submit("overflow", lambda: ran_on.append(threading.current_thread().name))
    assert ran_on == [threading.current_thread().name]  # ran at once, here
    assert queue.counts.ran_inline == 1 and queue.counts.queued == 2
    release.set()
    queue.close()


def test_a_failing_task_does_not_stop_the_others():
    queue = AfterAck(threads=1, capacity=10)
    ran: list[str] = []

    def fails() -> None:
        raise RuntimeError("Slack said no")

    queue.submit("fails", fails)
    queue.submit("runs", lambda: ran.append("after"))
    queue.join()
    assert ran == ["after"] and queue.counts.failed == 1
    queue.close()


def test_close_runs_what_is_queued_first_and_later_tasks_inline():
    queue = AfterAck(threads=1, capacity=10)
    ran: list[int] = []
    for number in range(3):
        queue.submit("slow", lambda n=number: (time.sleep(0.02), ran.append(n)))
    queue.close()
    assert ran == [0, 1, 2]
    queue.submit("late", lambda: ran.append(3))  # no thread left to take it: run here
    assert ran == [0, 1, 2, 3]


def test_profiles_are_fetched_once_each_at_the_pace_given(fake_slack, container):
    fake_slack.add_user("U0001", tz="Asia/Tokyo")
    fake_slack.add_user("U0002", tz="America/Chicago")
    changed: list[tuple[str, str, float]] = []
    fetches = ProfileFetches(
        lambda who, user: changed.append((who.user_id, user["tz"], time.monotonic())),
        per_minute=600,  # one each 0.1 s
    )
    client = container.clients.for_team("")
    first, second = SlackUser("T0001", "U0001"), SlackUser("T0001", "U0002")
    assert fetches.fetch(client, first) and fetches.fetch(client, first)  # asked twice: once
    assert fetches.fetch(client, second)
    wait_for(lambda: len(changed) == 2)
    time.sleep(0.15)
    assert [(user, tz) for user, tz, _ in changed] == [
        ("U0001", "Asia/Tokyo"),
        ("U0002", "America/Chicago"),
    ]
    assert changed[1][2] - changed[0][2] >= 0.09  # paced
    assert len(fake_slack.calls_to("users.info")) == 2
    fetches.close()


def test_profile_fetches_beyond_capacity_are_dropped_and_counted(container):
    """A dropped fetch leaves the person on UTC until a user_change or the tick sets it."""
    fetches = ProfileFetches(lambda who, user: None, per_minute=1, capacity=2)
    client = container.clients.for_team("")
    assert fetches.fetch(client, SlackUser("T0001", "U1"))  # fetched at once
    wait_for(lambda: fetches.waiting() == 0)
    # The next may come a minute later: two wait, the third is one too many.
    assert fetches.fetch(client, SlackUser("T0001", "U2"))
    assert fetches.fetch(client, SlackUser("T0001", "U3"))
    assert not fetches.fetch(client, SlackUser("T0001", "U4"))
    assert fetches.dropped == 1
    fetches.close()
    assert fetches.dropped == 3  # the two still waiting at the stop
