"""Showing a walk-through's steps, and advancing it by itself when a hold is up.

A person who wanders off leaves nothing running: a walk-through has at most one pending advance
in this process (showing a step cancels the one before), an advance is scheduled only from a hold
that is not the last step, and it only fires if nobody clicked since (the walk's generation, see
`bot.services.guided`, which also stops an advance pending in another process). So a walk-through
advances by itself at most once per step and never past its last step. Pending advances live in
memory: a restart drops them, and the person taps Next.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextvars import copy_context
from typing import Protocol

from slack_sdk import WebClient

from bot.blocks.guided import step_message
from bot.services.guided import GuideService, Walk
from bot.slack.guided import DirectMessageSurface, StepSurface
from bot.slack.pacing import Budget

logger = logging.getLogger(__name__)

# Slack updates a channel about once a second: an advance never follows the step before sooner.
MIN_ADVANCE_SECONDS = 1.0


class Pending(Protocol):
    def cancel(self) -> None: ...


class Timers(Protocol):
    def call_later(self, seconds: float, action: Callable[[], None]) -> Pending:
        """Run `action` once, `seconds` from now, unless cancelled first."""
        ...


class ThreadTimers:
    """The real timers: a daemon thread each, so none keeps the process alive at shutdown."""

    def call_later(self, seconds: float, action: Callable[[], None]) -> Pending:
        timer = threading.Timer(seconds, action)
        timer.daemon = True
        timer.start()
        return timer


class WalkThroughs:
    def __init__(self, guide: GuideService, timers: Timers, updates: Budget) -> None:
        """`updates`: the workspaces' chat.update budgets for automatic advances in DMs."""
        self._guide = guide
        self._timers = timers
        self._updates = updates
        # By walk id: the generation an advance was scheduled at, and its timer.
        self._pending: dict[int, tuple[int, Pending]] = {}
        self._lock = threading.Lock()

    def show(self, walk: Walk, surface: StepSurface) -> None:
        """Show the walk's step in place of the one before, and schedule its advance if it
        holds, is not the last step, and the surface will take one more send."""
        self._cancel(walk.walk_id)
        hold = walk.step.hold_seconds
        advances = (
            hold is not None and not walk.is_last_step and surface.allows_advance_after_send()
        )
        surface.send(step_message(walk.exercise, walk.steps, walk.ref, advances))
        if not advances:
            return
        # The advance speaks the language of the request that showed this step.
        context = copy_context()
        pending = self._timers.call_later(
            max(float(hold or 0), MIN_ADVANCE_SECONDS),
            lambda: context.run(self._advance, walk, surface),
        )
        with self._lock:
            self._pending[walk.walk_id] = (walk.generation, pending)

    def in_direct_message(
        self, client: WebClient, channel: str, ts: str, workspace: str
    ) -> DirectMessageSurface:
        return DirectMessageSurface(client, channel, ts, self._updates, workspace)

    def close(self) -> None:
        with self._lock:
            pending, self._pending = list(self._pending.values()), {}
        for _, timer in pending:
            timer.cancel()

    def _cancel(self, walk_id: int) -> None:
        """Cancel the walk's pending advance, if this process has one."""
        with self._lock:
            pending = self._pending.pop(walk_id, None)
        if pending is not None:
            pending[1].cancel()

    def _advance(self, walk: Walk, surface: StepSurface) -> None:
        with self._lock:  # forget this advance, not a newer one scheduled meanwhile
            if self._pending.get(walk.walk_id, (None,))[0] == walk.generation:
                del self._pending[walk.walk_id]
        try:
            following = self._guide.auto_advance(walk)
            if following is not None and surface.claim_automatic_send():
                self.show(following, surface)
        except Exception as error:  # a timer thread: one line, never a traceback
            logger.warning("Guided step not advanced: %s", type(error).__name__)
