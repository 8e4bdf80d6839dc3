"""A simulated week of scheduled nudges with racing instances, crashes and Slack faults.

Several "instances" — each its own `bot.bootstrap.build()` container (own engine, own instance
name) — share one database, one FakeSlack and one `FrozenClock`. At every step the clock moves
and all instances tick at once in threads, while the people answer the nudges they got in the
step before (Done or Skip, through the app's services), also concurrently.

The clock moves from event to event (the next `next_nudge_at`, retry `due_at` or expired lease),
at most `max_step` at a time, landing 20 to 110 seconds after the event — less than
`planning.LATE_AFTER`, as with the real few-second tick. Fixed 5-minute steps would make most
nudges "late" (planned more than two minutes after their slot), and a late slot after the end of
work is skipped by design, so the week could not be compared slot by slot.

Crashes: `NudgeDelivery._sent` (called once the message is in Slack, before it is marked sent) and
`NudgeDelivery._post` (claimed, not yet posted) are wrapped to raise `InstanceCrashed`, a
BaseException like the SystemExit of a killed process, for a deterministic pseudo-random share
of (nudge, attempt) pairs. The crashed tick's other claims stay leased; the instance "restarts"
under a new instance name, as a new process would, and the leases run out `claiming.LEASE` later.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time as wall
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.blocks.ids import DONE
from bot.blocks.message import read_value
from bot.blocks.nudge import METADATA_EVENT
from bot.bootstrap import Container
from bot.db.models import Nudge, Person
from bot.domain.clock import FrozenClock
from bot.domain.people import SlackUser
from bot.domain.preferences import Preferences
from bot.slack.pacing import Pacer
from tests.fake_slack import TEAM_ID, FakeSlack

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe")
INTERVALS = (30, 45, 60, 90, 120)
WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))


class InstanceCrashed(BaseException):
    """The instance died (a BaseException, so no `except Exception` in the app catches it)."""


@dataclass(frozen=True)
class Profile:
    """What Slack says about someone, as `ReminderService.turn_on` asks for it."""

    user_id: str
    tz: str

    def user(self) -> dict[str, Any]:
        return {"id": self.user_id, "team_id": TEAM_ID, "tz": self.tz, "profile": {}}

    def dnd(self) -> dict[str, Any]:
        return {"dnd_enabled": False}


@dataclass(frozen=True)
class Member:
    user_id: str
    tz: str
    preferences: Preferences
    answer: str  # "done" or "skip"

    @property
    def who(self) -> SlackUser:
        return SlackUser(TEAM_ID, self.user_id)

    @property
    def profile(self) -> Profile:
        return Profile(self.user_id, self.tz)


def team(size: int) -> list[Member]:
    """`size` people across four zones (Kathmandu at +05:45, Lord Howe whose clocks shift by
    30 minutes), all five intervals, different hours, some with lunch, some working every day."""
    members = []
    for i in range(size):
        start, end = ((time(9), time(17)), (time(8), time(16)), (time(10), time(18, 30)))[i % 3]
        lunch = (time(12), time(13)) if i % 4 == 1 else (None, None)
        preferences = Preferences(
            work_days=EVERY_DAY if i % 5 == 2 else WEEKDAYS,
            start=start,
            end=end,
            interval_minutes=INTERVALS[i % len(INTERVALS)],
            place="home" if i % 2 else "office",
            lunch_start=lunch[0],
            lunch_end=lunch[1],
        )
        members.append(
            Member(f"U{i + 100:04d}", ZONES[i % len(ZONES)], preferences, ("done", "skip")[i % 2])
        )
    return members


def opt_in(container: Container, fake: FakeSlack, members: list[Member]) -> None:
    """Through the app's reminder service, as `/stretch on` and the Settings modal do."""
    reminders = container.services.reminders
    for member in members:
        fake.add_user(member.user_id, tz=member.tz)
        reminders.save_preferences(member.who, member.profile, member.preferences)
        status = reminders.turn_on(member.who, member.profile)
        assert status.on and status.next_at is not None


class FakeTime:
    """Monotonic time that only `sleep` moves: a pacer that never blocks the test."""

    def __init__(self) -> None:
        self._now = 0.0
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self._now += max(seconds, 0.0)


def unpaced(container: Container) -> None:
    """Replace the instance's pacer (see the module docstring of the test for why)."""
    fake = FakeTime()
    container.steps.nudge_delivery._pacer = Pacer(
        per_minute=10**6, sleep=fake.sleep, monotonic=fake.monotonic
    )


def chance(seed: int, *parts: object) -> float:
    """A number in [0, 1) fixed by the seed and the parts, whatever the thread interleaving."""
    digest = hashlib.sha256(":".join(map(str, (seed, *parts))).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass
class Chaos:
    seed: int
    crash_after_post: float  # share of (nudge, attempt) pairs that die after posting
    crash_before_post: float  # … that die after claiming, before posting
    crashes_after_post: Counter[int] = field(default_factory=Counter)  # nudge id → crashes
    crashes_before_post: Counter[int] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, container: Container, monkeypatch) -> None:
        deliverer = container.steps.nudge_delivery
        sent, post = deliverer._sent, deliverer._post

        def crashing_sent(nudge: Nudge, channel: str, ts: str):
            if chance(self.seed, "after", nudge.id, nudge.attempts) < self.crash_after_post:
                with self._lock:
                    self.crashes_after_post[nudge.id] += 1
                raise InstanceCrashed(f"died after posting nudge {nudge.id}")
            return sent(nudge, channel, ts)

        def crashing_post(client, nudge: Nudge, person: Person):
            if chance(self.seed, "before", nudge.id, nudge.attempts) < self.crash_before_post:
                with self._lock:
                    self.crashes_before_post[nudge.id] += 1
                raise InstanceCrashed(f"died before posting nudge {nudge.id}")
            return post(client, nudge, person)

        monkeypatch.setattr(deliverer, "_sent", crashing_sent)
        monkeypatch.setattr(deliverer, "_post", crashing_post)


class Instance:
    """One racing instance; after a crash it comes back under a new name, like a new process."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.deliverer = container.steps.nudge_delivery
        self.first_name = self.deliverer.instance
        self.restarts = 0
        self.outcomes: Counter[str] = Counter()
        self.planned = 0
        self.busy = 0.0  # seconds spent ticking

    def tick(self) -> None:
        began = wall.perf_counter()
        try:
            report = self.container.tick()
        except InstanceCrashed:
            self.restarts += 1
            self.deliverer.instance = f"{self.first_name}~{self.restarts}"
            return
        finally:
            self.busy += wall.perf_counter() - began
        self.planned += report["nudge planning"]["planned"]
        self.outcomes.update(report["nudge delivery"])


@dataclass
class Faults:
    """429s and 5xx on chat.postMessage, injected at a few chosen steps. Three in a row get past
    the WebClient's own two retries, so the nudge goes back to pending with a due time."""

    plan: dict[int, tuple[int, int]]  # step → (HTTP status, how many in a row)
    injected: Counter[str] = field(default_factory=Counter)

    @classmethod
    def spread(cls, rng: random.Random, steps: int, kinds: list[tuple[int, int]]) -> Faults:
        chosen = rng.sample(range(10, steps), len(kinds))
        return cls(dict(zip(chosen, kinds, strict=True)))

    def inject(self, fake: FakeSlack, step: int) -> None:
        if step in self.plan:
            status, times = self.plan[step]
            fake.fail_next("chat.postMessage", status=status, retry_after=0, times=times)
            self.injected[f"{status}x{times}"] += 1


class Responder:
    """People answer the nudges that reached them: Done (through `StretchService.complete`, as
    the Done button does) or Skip, so nobody is backed off for ignoring three in a row."""

    def __init__(self, container: Container, fake: FakeSlack, members: list[Member]) -> None:
        self._services = container.services
        self._fake = fake
        self._members = {member.user_id: member for member in members}
        self._calls_seen = 0
        self.answers: Counter[str] = Counter()
        self.busy = 0.0

    def answer_new(self) -> None:
        """Answer the nudges posted since the last call (read from FakeSlack's call log)."""
        began = wall.perf_counter()
        calls = self._fake.calls
        for call in calls[self._calls_seen :]:
            meta = call.params.get("metadata") or {}
            if (
                call.method == "chat.postMessage"
                and call.ok
                and meta.get("event_type") == METADATA_EVENT
            ):
                self._answer(self._members[call.params["channel"]], call.params)
        self._calls_seen = len(calls)
        self.busy += wall.perf_counter() - began

    def _answer(self, member: Member, message: dict) -> None:
        nudge_id = message["metadata"]["event_payload"]["nudge_id"]
        if member.answer == "skip":
            assert self._services.reminders.skip(member.who, nudge_id) is not None
        else:
            value = read_value(button_value(message, DONE))
            activity = self._services.stretches.find(value["exercise"])
            assert activity is not None
            self._services.stretches.complete(
                member.who, activity, value["card"], value["source"], member.profile
            )
        self.answers[member.answer] += 1


def button_value(message: dict, action_id: str) -> str:
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return element["value"]
    raise AssertionError(f"no {action_id} button in {message['text']!r}")


def nudge_messages(fake: FakeSlack, user_id: str) -> list[dict]:
    return [
        message
        for message in fake.messages(user_id)
        if (message.get("metadata") or {}).get("event_type") == METADATA_EVENT
    ]


def next_event(container: Container, now: datetime) -> datetime | None:
    """The earliest moment something becomes due: a slot, a retry or hold, an expired lease."""
    with container.sessions() as session:
        moments = [
            session.scalar(
                select(func.min(Person.next_nudge_at)).where(
                    Person.reminders_on.is_(True), Person.deactivated_at.is_(None)
                )
            ),
            session.scalar(select(func.min(Nudge.due_at)).where(Nudge.status == "pending")),
            session.scalar(select(func.min(Nudge.lease_until)).where(Nudge.status == "sending")),
        ]
    later = [moment for moment in moments if moment is not None]
    return min(later) if later else None


def unfinished(container: Container) -> int:
    with container.sessions() as session:
        return session.scalar(
            select(func.count()).select_from(Nudge).where(Nudge.status.in_(("pending", "sending")))
        )


@dataclass
class Run:
    steps: int = 0
    final: datetime | None = None
    errors: list[BaseException] = field(default_factory=list)


def simulate(
    instances: list[Instance],
    clock: FrozenClock,
    until: datetime,
    *,
    responder: Responder,
    between_steps: Callable[[int], None],
    rng: random.Random,
    max_step: timedelta = timedelta(minutes=30),
    jitter: tuple[float, float] = (20, 110),
) -> Run:
    """Tick all instances concurrently at each step until `until`, then until nothing is pending
    or held by a lease. Any exception other than a simulated crash is collected and returned."""
    run = Run()
    probe = instances[0].container
    workers = len(instances) + 1
    with ThreadPoolExecutor(workers, thread_name_prefix="instance") as pool:
        while True:
            between_steps(run.steps)
            start = threading.Barrier(workers)

            def together(work: Callable[[], None], start=start) -> None:
                start.wait(timeout=30)
                work()

            jobs = [pool.submit(together, instance.tick) for instance in instances]
            jobs.append(pool.submit(together, responder.answer_new))
            for job in jobs:
                error = job.exception(timeout=120)
                if error is not None:
                    run.errors.append(error)
            if run.errors:
                break
            run.steps += 1
            now = clock.now()
            if now >= until and not unfinished(probe):
                break
            event = next_event(probe, now)
            step = max_step if event is None else event - now
            step = min(max(step, timedelta(seconds=1)), max_step)
            step += timedelta(seconds=rng.uniform(*jitter))
            clock.set(now + min(step, max_step))
        responder.answer_new()
    run.final = clock.now()
    return run
