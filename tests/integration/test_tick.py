"""The tick runs its steps in order and reports what each did; a step that fails does not keep
the others from running, and the failure still reaches the caller (the scheduler logs it)."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.jobs.tick import Tick


class Recorded:
    def __init__(self, name: str, ran: list[str], failure: BaseException | None = None) -> None:
        self.name = name
        self._ran = ran
        self._failure = failure

    def run(self) -> Counter[str]:
        self._ran.append(self.name)
        if self._failure is not None:
            raise self._failure
        return Counter(done=1)


def test_every_step_runs_in_order_and_says_what_it_did() -> None:
    ran: list[str] = []
    report = Tick([Recorded("first", ran), Recorded("second", ran)])()
    assert ran == ["first", "second"]
    assert report == {"first": {"done": 1}, "second": {"done": 1}}


def test_a_failing_step_does_not_hold_back_the_others() -> None:
    ran: list[str] = []
    planning_failed, posting_failed = RuntimeError("database gone"), OSError("Slack unreachable")
    tick = Tick(
        [
            Recorded("planning", ran, planning_failed),
            Recorded("delivery", ran),
            Recorded("posts", ran, posting_failed),
            Recorded("summaries", ran),
        ]
    )
    with pytest.raises(ExceptionGroup) as raised:
        tick()
    assert ran == ["planning", "delivery", "posts", "summaries"]
    assert raised.value.exceptions == (planning_failed, posting_failed)
    assert "in the tick step 'planning'" in planning_failed.__notes__


def test_a_crash_ends_the_tick_at_once() -> None:
    """SystemExit and the like are not a step's failure but the process going away."""
    ran: list[str] = []
    tick = Tick([Recorded("planning", ran, SystemExit("killed")), Recorded("delivery", ran)])
    with pytest.raises(SystemExit):
        tick()
    assert ran == ["planning"]
