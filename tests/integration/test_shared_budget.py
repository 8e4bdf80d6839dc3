"""Several instances, one database, one send budget per workspace: together they never send more
than the budget in any minute, the budget refills, a new instance carries on where the others
left it, and an instance that dies holding slots loses only those.

Each instance is a pacer with an engine of its own on the test's database; all read one fake
time (`FakeTime`, which is also their shared clock), so waits cost no real time.
"""

from __future__ import annotations

import threading
import time as wall
from collections.abc import Iterator

import pytest

from bot.db.engine import make_engine, make_session_factory
from bot.slack.pacing import SharedBudget
from tests.support.pacing import FakeTime, RecordingPacer, peak_in_any_minute

BUDGET = 120


class Instances:
    """Bot instances on one database: each its own engine, budget and pacer, on one fake time."""

    def __init__(self, database_url: str, time: FakeTime) -> None:
        self._url = database_url
        self._time = time
        self._engines = []

    def start(self, per_minute: int = BUDGET) -> RecordingPacer:
        engine = make_engine(self._url)
        self._engines.append(engine)
        budget = SharedBudget(make_session_factory(engine), self._time, per_minute)
        return RecordingPacer(budget, self._time)

    def close(self) -> None:
        for engine in self._engines:
            engine.dispose()


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def instances(database_url: str, time: FakeTime) -> Iterator[Instances]:
    started = Instances(database_url, time)
    yield started
    started.close()


def sent_at(*pacers: RecordingPacer, workspace: str = "1") -> list[float]:
    return [at for pacer in pacers for at, sent_in, _ in pacer.sends if sent_in == workspace]


@pytest.mark.parametrize("count", [2, 3])
def test_instances_taking_turns_never_exceed_the_budget_in_any_minute(instances, count) -> None:
    pacers = [instances.start() for _ in range(count)]
    for n in range(3 * BUDGET):
        pacers[n % count].wait_turn("1", f"D{n}")
    times = sent_at(*pacers)
    assert len(times) == 3 * BUDGET
    assert peak_in_any_minute(times) <= BUDGET
    assert all(len(pacer.sends) == 3 * BUDGET // count for pacer in pacers)


class FastTime(FakeTime):
    """Real time, `SPEED` times faster: threads that sleep at once wake in the order they would,
    which fake time that only sleeps move cannot promise."""

    SPEED = 20

    def __init__(self) -> None:
        super().__init__()
        self._origin = wall.monotonic()

    def monotonic(self) -> float:
        return (wall.monotonic() - self._origin) * self.SPEED

    def sleep(self, seconds: float) -> None:
        wall.sleep(max(seconds, 0.0) / self.SPEED)


def test_instances_posting_from_threads_at_once_never_exceed_the_budget(database_url) -> None:
    """Three instances, four posting threads each, two workspaces, all at once (on real time,
    sped up: about 6 s)."""
    instances = Instances(database_url, FastTime())
    pacers = [instances.start(per_minute=30) for _ in range(3)]
    errors: list[BaseException] = []

    def post(pacer: RecordingPacer, thread: int) -> None:
        try:
            for n in range(10):
                pacer.wait_turn(str(1 + n % 2), f"D{thread}-{n}")
        except BaseException as error:  # reported by the test's own thread below
            errors.append(error)

    threads = [
        threading.Thread(target=post, args=(pacer, 10 * p + t))
        for p, pacer in enumerate(pacers)
        for t in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    instances.close()
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    for workspace in ("1", "2"):
        times = sent_at(*pacers, workspace=workspace)
        assert len(times) == 3 * 4 * 5
        assert peak_in_any_minute(times) <= 30


def test_the_budget_refills(instances, time) -> None:
    """After a minute's budget is spent, a quiet spell gives back a burst, then the even rate."""
    first, second = instances.start(), instances.start()
    for n in range(BUDGET):
        first.wait_turn("1", f"D{n}")
    time.move_to(1000)
    for n in range(BUDGET):
        second.wait_turn("1", f"E{n}")
    later = sent_at(second)
    capacity = second.budget.rate.capacity
    assert later.count(1000) == capacity
    assert max(later) < 1000 + 61
    assert peak_in_any_minute(sent_at(first, second)) <= BUDGET


def test_a_new_instance_carries_on_where_the_budget_stands(instances) -> None:
    """A restart no longer starts with a full budget of its own: the row remembers that the
    budget was just spent, and the new instance goes on at the even rate."""
    before = instances.start()
    for n in range(2 * BUDGET):
        before.wait_turn("1", f"D{n}")
    after = instances.start()
    for n in range(BUDGET // 2):
        after.wait_turn("1", f"E{n}")
    interval = after.budget.rate.interval / 1e6
    assert min(sent_at(after)) >= max(sent_at(before)) + interval - 1e-6
    assert peak_in_any_minute(sent_at(before, after)) <= BUDGET


def test_an_instance_that_dies_holding_slots_loses_only_those(instances, time) -> None:
    """An instance reserves `held` slots and dies before using them: a backlog sent by another
    instance gets at most `held` sends fewer through its first minute than with nothing held."""
    held = 4
    instances.start().budget.reserve("1", held)  # then the instance dies
    survivor = instances.start()
    for n in range(BUDGET):
        survivor.wait_turn("1", f"D{n}")
    time.move_to(10_000)  # long after: the budget of workspace 2 is as full as 1's was
    for n in range(BUDGET):
        survivor.wait_turn("2", f"D{n}")
    after_held = sum(at <= 61 for at in sent_at(survivor, workspace="1"))
    nothing_held = sum(at <= 10_061 for at in sent_at(survivor, workspace="2"))
    assert nothing_held - held <= after_held < nothing_held
