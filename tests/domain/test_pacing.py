"""The pacer on a fake clock: never more than the budget in any minute, one send per second per
channel, short bursts only, every send let go eventually — with one caller or many threads."""

from __future__ import annotations

import threading
from collections import defaultdict
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.send_budget import MAX_BURST, Grant, SendRate
from bot.slack.pacing import CHANNEL_GAP_SECONDS
from tests.support.pacing import FakeTime, LocalBudget, RecordingPacer, peak_in_any_minute


class Recording(RecordingPacer):
    """The pacer with its budget in memory, noting each send."""

    def __init__(self, per_minute: int, time: FakeTime) -> None:
        super().__init__(LocalBudget(per_minute, time), time)
        self.per_minute = per_minute


def assert_within_limits(pacer: Recording) -> None:
    by_workspace: dict[str, list[float]] = defaultdict(list)
    by_channel: dict[tuple[str, str], list[float]] = defaultdict(list)
    for at, workspace, channel in pacer.sends:
        by_workspace[workspace].append(at)
        by_channel[workspace, channel].append(at)
    for times in by_workspace.values():
        assert peak_in_any_minute(times) <= pacer.per_minute
    for times in by_channel.values():
        ordered = sorted(times)
        assert all(b >= a + CHANNEL_GAP_SECONDS for a, b in pairwise(ordered))


attempts = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=300, allow_nan=False),
        st.sampled_from(["T1", "T2"]),
        st.sampled_from(["D1", "D2", "D3", "D4", "D5"]),
    ),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(per_minute=st.integers(min_value=1, max_value=400), attempts=attempts)
def test_no_minute_above_the_budget_and_every_send_goes(per_minute, attempts) -> None:
    time = FakeTime()
    pacer = Recording(per_minute, time)
    for arrives_at, workspace, channel in sorted(attempts):
        time.move_to(arrives_at)
        pacer.wait_turn(workspace, channel)
        assert pacer.sends[-1][0] >= arrives_at
    assert len(pacer.sends) == len(attempts)
    assert_within_limits(pacer)


@settings(deadline=None)
@given(
    per_minute=st.sampled_from([1, 7, 59, 60, 61, 180, 300, 1000, 10**6]),
    start=st.floats(min_value=0, max_value=1e6, allow_nan=False),
)
def test_a_backlog_goes_out_at_the_refill_rate_after_one_burst(per_minute, start) -> None:
    """Many sends waiting at once (different people): a burst of at most `capacity`, then one
    each time a token is back — the budget used, never exceeded, at any clock reading."""
    time = FakeTime()
    time.move_to(start)
    pacer = Recording(per_minute, time)
    backlog = min(3 * per_minute, 600)
    for n in range(backlog):
        pacer.wait_turn("T1", f"D{n}")
    times = [at - start for at, _, _ in pacer.sends]
    rate = pacer.budget.rate
    assert sum(1 for t in times if t == 0) == rate.capacity <= MAX_BURST
    assert_within_limits(pacer)
    allowed = (backlog - rate.capacity) * rate.interval / 1e6
    # Each wait ends within a rounding-sized minimum sleep of its token.
    assert times[-1] <= allowed + backlog * 0.001


@pytest.mark.parametrize(
    ("per_minute", "capacity", "sustained_per_minute"),
    [(1, 1, 0.984), (60, 1, 59.02), (180, 3, 175.08), (300, 5, 291.15), (10**6, 10, 967_742)],
)
def test_a_burst_of_one_seconds_budget_and_a_send_up_to_a_second_late_cost_sustained_rate(
    per_minute, capacity, sustained_per_minute
) -> None:
    rate = SendRate.for_budget(per_minute)
    assert rate.capacity == capacity
    assert 60e6 / rate.interval == pytest.approx(sustained_per_minute, rel=1e-3)


def test_the_whole_budget_no_longer_goes_in_one_second() -> None:
    """The sliding window let 300 go at once; the bucket lets 5, then about 5 a second."""
    time = FakeTime()
    pacer = Recording(300, time)
    for n in range(300):
        pacer.wait_turn("T1", f"D{n}")
    per_second = defaultdict(int)
    for at, _, _ in pacer.sends:
        per_second[int(at)] += 1
    assert max(per_second.values()) <= pacer.budget.rate.capacity + 5
    assert_within_limits(pacer)


class CountingBudget(LocalBudget):
    """The budget in memory, counting its reservations (each a database round trip in the app)."""

    def __init__(self, per_minute: int, time: FakeTime) -> None:
        super().__init__(per_minute, time)
        self.reservations = 0

    def reserve(self, workspace: str, wanted: int) -> Grant:
        self.reservations += 1
        return super().reserve(workspace, wanted)


@pytest.mark.parametrize(("per_minute", "most_reservations"), [(300, 300), (10**9, 3)])
def test_a_large_budget_is_asked_once_for_many_sends(per_minute, most_reservations) -> None:
    """A grant holds the slots of a quarter of a second: at a Slack-sized budget that is one
    slot a round trip, at a budget far above what is sent hundreds of sends share one, and the
    slots of a grant that closed unused are skipped, not sent late."""
    time = FakeTime()
    budget = CountingBudget(per_minute, time)
    pacer = RecordingPacer(budget, time)
    for n in range(300):
        time.move_to(n * 0.01)  # 3 s: grants close unused
        pacer.wait_turn("T1", f"D{n}")
    assert len(pacer.sends) == 300
    assert budget.reservations <= most_reservations
    assert peak_in_any_minute([at for at, _, _ in pacer.sends]) <= per_minute


def test_a_channel_waits_a_second_while_others_go() -> None:
    time = FakeTime()
    pacer = Recording(300, time)
    pacer.wait_turn("T1", "D1")
    pacer.wait_turn("T1", "D2")
    pacer.wait_turn("T1", "D1")
    pacer.wait_turn("T2", "D1")  # another workspace's channel of the same id
    assert [at for at, _, _ in pacer.sends] == [0.0, 0.0, CHANNEL_GAP_SECONDS, 1.0]


def test_workspaces_have_budgets_of_their_own() -> None:
    time = FakeTime()
    pacer = Recording(1, time)
    pacer.wait_turn("T1", "D1")
    pacer.wait_turn("T2", "D1")
    assert [at for at, _, _ in pacer.sends] == [0.0, 0.0]
    pacer.wait_turn("T1", "D2")
    assert pacer.sends[-1][0] == pytest.approx(61, abs=0.01)


def test_a_budget_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        SendRate.for_budget(0)


@pytest.mark.parametrize("per_minute", [1, 45, 300])
def test_many_threads_waiting_at_once(per_minute) -> None:
    """Delivery posts from a thread pool: concurrent waiters share the bucket and the channel
    gaps without a send too many, and none is left waiting."""
    time = FakeTime()
    pacer = Recording(per_minute, time)
    threads_count, each = 8, min(3 * per_minute, 40)
    errors: list[BaseException] = []

    def post(thread: int) -> None:
        try:
            for n in range(each):
                workspace = "T1" if n % 3 else "T2"
                pacer.wait_turn(workspace, f"D{(thread + n) % 5}")  # shared channels, too
        except BaseException as error:  # reported by the test's own thread below
            errors.append(error)

    threads = [threading.Thread(target=post, args=(t,)) for t in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert len(pacer.sends) == threads_count * each
    assert_within_limits(pacer)
