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

Crashes (see `tests/support/crashes.py`): marking posted nudges sent (they are in Slack) and
building a claimed nudge's message (not yet posted) raise `InstanceCrashed`, a BaseException like
the SystemExit of a killed process, for a deterministic pseudo-random share of (nudge, attempt)
pairs. The crashed tick's other claims stay leased; the instance "restarts" as a new process
would — a container of its own, under a new instance name — and the leases run out
`claiming.LEASE` later.
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
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.ids import DONE
from bot.blocks.message import read_value
from bot.blocks.nudge import METADATA_EVENT
from bot.bootstrap import Container, build
from bot.db.models import Nudge, Person
from bot.domain.clock import FrozenClock
from bot.domain.people import SlackUser
from bot.domain.preferences import Preferences
from bot.domain.work_pattern import WorkPattern
from bot.jobs import nudge_delivery
from tests.support.answers import button_value
from tests.support.crashes import BUILD_NUDGE, MARK_SENT, InstanceCrashed
from tests.support.fake_slack import TEAM_ID, FakeSlack

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe")
INTERVALS = (30, 45, 60, 90, 120)
WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))


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
            work_pattern=WorkPattern.every(EVERY_DAY if i % 5 == 2 else WEEKDAYS, start, end),
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

    def install(self, sessions: sessionmaker[Session], monkeypatch) -> None:
        """For every instance (the crash points are module-wide); `sessions` reads attempts."""
        build_nudge, mark_sent = nudge_delivery.nudge_message, nudge_delivery.finish_each

        def crashing_build(nudge_id: int, *args, **kwargs):
            with sessions() as session:
                attempts = session.get(Nudge, nudge_id).attempts
            if chance(self.seed, "before", nudge_id, attempts) < self.crash_before_post:
                with self._lock:
                    self.crashes_before_post[nudge_id] += 1
                raise InstanceCrashed(f"died before posting nudge {nudge_id}")
            return build_nudge(nudge_id, *args, **kwargs)

        def crashing_mark_sent(session: Session, model, instance: str, values: dict, **fields):
            doomed = [
                nudge_id
                for nudge_id in values
                if chance(self.seed, "after", nudge_id, session.get(Nudge, nudge_id).attempts)
                < self.crash_after_post
            ]
            if doomed:
                with self._lock:
                    self.crashes_after_post.update(doomed)
                raise InstanceCrashed(f"died after posting nudges {doomed}")
            return mark_sent(session, model, instance, values, **fields)

        monkeypatch.setattr(BUILD_NUDGE, crashing_build)
        monkeypatch.setattr(MARK_SENT, crashing_mark_sent)


class Instance:
    """One racing instance; after a crash it comes back as a new process would: a container of
    its own (so a new instance name), the one it was started with kept open for the test."""

    def __init__(self, container: Container) -> None:
        self.started_with = self.container = container
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
            self._restart()
            return
        finally:
            self.busy += wall.perf_counter() - began
        self.planned += report["nudge planning"]["planned"]
        self.outcomes.update(report["nudge delivery"])

    def _restart(self) -> None:
        crashed = self.container
        self.container = build(
            crashed.config,
            clock=crashed.services.clock,
            library=crashed.services.stretches.libraries.seed,
        )
        if crashed is not self.started_with:
            crashed.close()

    def close(self) -> None:
        """Closes the container it restarted in, if it did (not the one it was started with)."""
        if self.container is not self.started_with:
            self.container.close()


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
            activity = self._services.stretches.find(member.who, value["exercise"])
            assert activity is not None
            self._services.stretches.complete(
                member.who, activity, value["card"], value["source"], member.profile
            )
        self.answers[member.answer] += 1


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
