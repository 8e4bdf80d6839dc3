"""The tick every instance runs every few seconds: plan due slots, deliver nudges, post challenge
days and results, send weekly summaries, run group breaks — each a `Step`.

APScheduler only keeps time (one in-memory interval job per process, never one job per person);
the database decides what is due, so any number of instances can tick at once.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol

from apscheduler.schedulers.background import BackgroundScheduler

from bot.jobs.challenge_posts import ChallengePosts
from bot.jobs.challenge_results import ChallengeResults
from bot.jobs.group_breaks import GroupBreakPosts
from bot.jobs.nudge_delivery import NudgeDelivery
from bot.jobs.nudge_planning import NudgePlanning
from bot.jobs.weekly_summaries import WeeklySummaries

logger = logging.getLogger(__name__)

# What each step did in one tick, by its name: counts by outcome ("planned", "sent", "retry", …).
TickReport = dict[str, Counter[str]]


class Step(Protocol):
    """One kind of background work. `run` does all of it that is due now and says what it did;
    whatever it leaves undone (a crash, a lost claim, a retry) the database holds for a later
    tick, on this instance or another."""

    name: str

    def run(self) -> Counter[str]: ...


class TickSteps(NamedTuple):
    """The steps in the order each tick runs them: nudges are planned before they are delivered."""

    nudge_planning: NudgePlanning
    nudge_delivery: NudgeDelivery
    challenge_posts: ChallengePosts
    challenge_results: ChallengeResults  # after the posts, which end the challenges
    weekly_summaries: WeeklySummaries
    group_breaks: GroupBreakPosts


class Tick:
    def __init__(self, steps: Sequence[Step]) -> None:
        self.steps = steps

    def __call__(self) -> TickReport:
        """Run every step, even after one fails: a failing step (say, Slack down for challenge
        posts) must not hold back the others. The failures are raised together at the end, so
        the caller sees them as before."""
        report: TickReport = {}
        failures = []
        for step in self.steps:
            try:
                report[step.name] = step.run()
            except Exception as failure:  # a crash (BaseException) ends the tick at once
                failure.add_note(f"in the tick step {step.name!r}")
                failures.append(failure)
        if failures:
            raise ExceptionGroup("tick steps failed; the other steps ran", failures)
        return report


class TickScheduler:
    """One APScheduler interval job that runs the tick; `max_instances=1` keeps ticks from
    overlapping within a process, `coalesce` folds missed runs into one.

    `every_second`, if given, runs in a job of its own each second: redrawing leaderboards,
    which a click storm makes stale within seconds, needs no wait for the next tick (nor for
    the tick's other steps); each redraw still keeps its own spacing (`LEADERBOARD_EVERY`)."""

    def __init__(
        self, tick: Tick, seconds: float, every_second: Callable[[], object] | None = None
    ) -> None:
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
        if every_second is not None:
            self._scheduler.add_job(
                _logging_failures(every_second),
                "interval",
                seconds=1,
                id="every-second",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=5,
            )

    def _run(self) -> None:
        try:
            report = self._tick()
        except Exception:
            logger.exception("tick failed; the next one will pick up where it left off")
            return
        done = {name: dict(+counts) for name, counts in report.items() if +counts}
        if done:
            logger.info("tick: %s", done)

    def start(self) -> None:
        self._scheduler.start()

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)


def _logging_failures(job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except Exception:
            logger.exception("%s failed; it runs again in a second", job.__name__)

    return run
