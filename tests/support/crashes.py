"""Killing an instance mid-send, as SIGKILL or an OOM kill would: a BaseException (which no
`except Exception` in the app catches) raised inside the tick.

`bot.jobs.nudge_delivery` builds a nudge's message right before posting it (`nudge_message`), and
marks a batch's posted nudges sent in one write once they are all in Slack (`finish_each`): a
crash in the first leaves a claimed nudge unposted, a crash in the second leaves posted nudges
claimed but not marked sent.
"""

from __future__ import annotations

import pytest

from bot.db.leases import finish

BUILD_NUDGE = "bot.jobs.nudge_delivery.nudge_message"
MARK_SENT = "bot.jobs.nudge_delivery.finish_each"
# Built between claiming and posting: a weekly summary's message, a challenge's results.
BUILD_SUMMARY = "bot.jobs.weekly_summaries.weekly_summary_message"
BUILD_RESULTS = "bot.jobs.challenge_results.results_message"


class InstanceCrashed(BaseException):
    """The instance died (a BaseException, so no `except Exception` in the app catches it)."""


def crash_when_marking_sent(monkeypatch: pytest.MonkeyPatch, crash: BaseException) -> None:
    """Until `monkeypatch` undoes it, ticks die with `crash` when they would mark posted nudges
    sent: the nudges are in Slack, and still claimed."""
    crash_on_call(monkeypatch, MARK_SENT, crash)


def crash_on_call(
    monkeypatch: pytest.MonkeyPatch, target: str, crash: BaseException | None = None
) -> None:
    """Until `monkeypatch` undoes it, a call of `target` (a dotted name) kills the instance."""

    def crashing(*_args, **_kwargs):
        raise crash or InstanceCrashed(f"killed at {target}")

    monkeypatch.setattr(target, crashing)


def crash_when_recording(monkeypatch: pytest.MonkeyPatch, model: type, status: str) -> None:
    """Until `monkeypatch` undoes it, the instance dies when it would record a row of `model`
    as `status` (`bot.jobs.claimed_sends` records each row through `finish`): the post is in
    Slack, and the row still claimed."""

    def killed_before_recording(session, recorded, *args, status: str, **values):
        if recorded is model and status == wanted:
            raise InstanceCrashed(f"killed before recording {status}")
        return finish(session, recorded, *args, status=status, **values)

    wanted = status
    monkeypatch.setattr("bot.jobs.claimed_sends.finish", killed_before_recording)
