"""Where a walk-through's steps go, and what each way of getting there allows.

- An ephemeral card is replaced through the click's response_url, which Slack takes at most five
  times in thirty minutes: the click's own answer is one use, each automatic advance another.
- A card in the person's DM with the app (a nudge, a card from the Home tab) is updated with
  `chat.update` (Tier 3, about 50 a minute per workspace, and about one a second per channel):
  every automatic advance first takes a slot of the workspace's budget for them.
- Anything else is shared (a challenge post in a channel): it is never changed; the clicker gets
  a walk-through of their own as a new ephemeral message, which their next click then replaces.
  That click's response_url belongs to the shared post, so it is not used again.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.blocks.message import Message
from bot.domain.clock import Clock
from bot.domain.guided import ResponseUrlUse
from bot.slack.pacing import Budget

logger = logging.getLogger(__name__)

# chat.update's share for automatic advances, per workspace: Tier 3 allows about 50 a minute,
# and clicks, leaderboards and other updates need the rest.
AUTOMATIC_UPDATES_PER_MINUTE = 30


class StepSurface(Protocol):
    def send(self, message: Message) -> None:
        """Show `message` in place of the walk-through's current step."""

    def allows_advance_after_send(self) -> bool:
        """Whether an automatic advance may follow the next send (as far as is known now)."""

    def claim_automatic_send(self) -> bool:
        """Just before an automatic advance: whether it may go now (and counting it if so)."""


class ResponseUrlSurface:
    """An ephemeral message, replaced through one click's response_url; its uses are counted."""

    def __init__(self, respond: Respond, clock: Clock) -> None:
        self._respond = respond
        self._clock = clock
        self._use: ResponseUrlUse | None = None
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        with self._lock:
            now = self._clock.now()
            self._use = self._use.used_again() if self._use else ResponseUrlUse(now)
        self._respond(replace_original=True, **message.as_kwargs())

    def allows_advance_after_send(self) -> bool:
        with self._lock:
            now = self._clock.now()
            after_send = self._use.used_again() if self._use else ResponseUrlUse(now)
            return after_send.allows_another(now)

    def claim_automatic_send(self) -> bool:
        with self._lock:
            return self._use is not None and self._use.allows_another(self._clock.now())


class NewEphemeralSurface:
    """A walk-through started from a shared message: a new message only the clicker sees."""

    def __init__(self, respond: Respond) -> None:
        self._respond = respond

    def send(self, message: Message) -> None:
        self._respond(replace_original=False, response_type="ephemeral", **message.as_kwargs())

    def allows_advance_after_send(self) -> bool:
        return False

    def claim_automatic_send(self) -> bool:
        return False


class DirectMessageSurface:
    """A message in the person's DM with the app, updated in place with chat.update."""

    def __init__(
        self, client: WebClient, channel: str, ts: str, budget: Budget, workspace: str
    ) -> None:
        self._client = client
        self._channel = channel
        self._ts = ts
        self._budget = budget
        self._budget_key = f"update:{workspace}"

    def send(self, message: Message) -> None:
        self._client.chat_update(channel=self._channel, ts=self._ts, **message.as_kwargs())

    def allows_advance_after_send(self) -> bool:
        return True

    def claim_automatic_send(self) -> bool:
        """A slot open now, or no automatic advance: the person taps Next instead of waiting."""
        if self._budget.reserve(self._budget_key, 1).opens(0) == 0:
            return True
        logger.info("Guided step not advanced automatically: the chat.update budget is spent")
        return False
