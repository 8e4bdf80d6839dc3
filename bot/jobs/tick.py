"""The tick every instance runs every few seconds: plan due slots, claim nudges, deliver them.

APScheduler only keeps time (one in-memory interval job per process, never one job per person);
the database decides what is due, so any number of instances can tick at once.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from bot.db.leases import claim
from bot.db.models import Nudge
from bot.domain.clock import Clock
from bot.domain.content import Library
from bot.jobs.nudge_delivery import Deliverer
from bot.jobs.nudge_planning import PlanningRules, due_people, plan_batch

logger = logging.getLogger(__name__)

# Nudges claimed at a time: small, so a batch is sent well inside its lease even when Slack is
# slow; a post whose lease could run out meanwhile renews it first.
CLAIM_BATCH = 20
# Posts in flight at once per instance: Slack's answer takes a round trip, the work is small.
POSTING_THREADS = 4


@dataclass
class TickReport:
    planned: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


class Tick:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        library: Library,
        deliverer: Deliverer,
        rules: PlanningRules,
        batch: int = 200,
        more_steps: Sequence[Callable[[], object]] = (),
    ) -> None:
        """`more_steps` run after the nudges on every tick (challenge posts, for one)."""
        self._sessions = sessions
        self._clock = clock
        self._library = library
        self._deliverer = deliverer
        self._rules = rules
        self._batch = batch
        self._more_steps = more_steps

    def __call__(self) -> TickReport:
        report = TickReport(planned=self.plan())
        for outcome in self.deliver():
            report.outcomes[outcome] += 1
        for step in self._more_steps:
            step()
        return report

    def plan(self) -> int:
        planned = 0
        while True:
            now = self._clock.now()
            with self._sessions.begin() as session:
                people = due_people(session, now, self._batch)
                planned += plan_batch(session, people, now, self._library, self._rules)
            if len(people) < self._batch:
                return planned

    def deliver(self) -> list[str]:
        outcomes = []
        with ThreadPoolExecutor(POSTING_THREADS, thread_name_prefix="post") as posting:
            while True:
                with self._sessions.begin() as session:
                    claimed = claim(
                        session, Nudge, self._deliverer.instance, self._clock.now(), CLAIM_BATCH
                    )
                delivered = self._deliverer.deliver(claimed, posting)
                outcomes.extend(outcome.status for outcome in delivered)
                if len(claimed) < CLAIM_BATCH:
                    return outcomes


class TickScheduler:
    """One APScheduler interval job that runs the tick; `max_instances=1` keeps ticks from
    overlapping within a process, `coalesce` folds missed runs into one."""

    def __init__(self, tick: Tick, seconds: float) -> None:
        self._tick = tick
        self._scheduler = BackgroundScheduler(timezone="UTC")
        self._scheduler.add_job(
            self._run,
            "interval",
            seconds=seconds,
            id="tick",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=60,
        )

    def _run(self) -> None:
        try:
            report = self._tick()
        except Exception:
            logger.exception("tick failed; the next one will pick up where it left off")
            return
        if report.planned or report.outcomes:
            logger.info("tick: planned %s, delivered %s", report.planned, dict(report.outcomes))

    def start(self) -> None:
        self._scheduler.start()

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
