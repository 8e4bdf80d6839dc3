"""Killing an instance mid-delivery, as SIGKILL or an OOM kill would: a BaseException (which no
`except Exception` in the app catches) raised inside the tick.

`bot.jobs.nudge_delivery` builds a nudge's message right before posting it (`nudge_message`), and
marks a batch's posted nudges sent in one write once they are all in Slack (`finish_each`): a
crash in the first leaves a claimed nudge unposted, a crash in the second leaves posted nudges
claimed but not marked sent.
"""

from __future__ import annotations

import pytest

BUILD_NUDGE = "bot.jobs.nudge_delivery.nudge_message"
MARK_SENT = "bot.jobs.nudge_delivery.finish_each"


class InstanceCrashed(BaseException):
    """The instance died (a BaseException, so no `except Exception` in the app catches it)."""


def crash_when_marking_sent(monkeypatch: pytest.MonkeyPatch, crash: BaseException) -> None:
    """Until `monkeypatch` undoes it, ticks die with `crash` when they would mark posted nudges
    sent: the nudges are in Slack, and still claimed."""

    def crashing(*_args, **_kwargs):
        raise crash

    monkeypatch.setattr(MARK_SENT, crashing)
