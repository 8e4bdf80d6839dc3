"""The Slack profiles of people first met in a click, fetched after the ack at a pace Slack allows.

A challenge Done from someone the app has never seen makes their row with the defaults (time
zone UTC) instead of asking Slack first (`bot.slack.profiles.ProfileLater`): in a click storm a
`users.info` per click before the ack was most of the backlog (issue 16), and `users.info` is
Tier 4 — about 100 calls a minute per workspace, shared with admin checks and the tick's
availability checks — so 1,000 first-time clickers cannot be asked about within seconds anyway.
This queue asks at most `per_minute`, one person at a time on a thread of its own, and copies
what Slack says onto the row as a `user_change` event would (time zone, status).

What it may lose, and what then happens: a full queue (`capacity`) or a stop drops the fetches
still waiting. Those people keep UTC until Slack sends a `user_change` for them, or the tick
checks their availability before a nudge (`bot.jobs.nudge_delivery`), either of which sets it.
Their Dones are counted either way; only the local day their stats count in is affected.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.domain.people import SlackUser
from bot.slack.profiles import ClientProfile

logger = logging.getLogger(__name__)

PER_MINUTE = 50  # half of users.info's Tier 4, the rest for everything else that asks
CAPACITY = 10_000

UserChanged = Callable[[SlackUser, dict[str, Any]], object]


class ProfileFetches:
    """People whose profile is wanted, fetched oldest first, each once however often asked."""

    def __init__(
        self,
        user_changed: UserChanged,
        per_minute: int = PER_MINUTE,
        capacity: int = CAPACITY,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._user_changed = user_changed
        self._interval = 60.0 / per_minute
        self._capacity = capacity
        self._monotonic = monotonic
        self._waiting: OrderedDict[SlackUser, WebClient] = OrderedDict()
        self._changed = threading.Condition()
        self._closed = False
        self.dropped = 0
        self._thread = threading.Thread(target=self._fetch_waiting, name="profiles", daemon=True)
        self._thread.start()

    def fetch(self, client: WebClient, who: SlackUser) -> bool:
        """Ask for `who`'s profile soon; False when too many wait (the fetch is dropped)."""
        with self._changed:
            if who in self._waiting:
                return True
            if len(self._waiting) >= self._capacity or self._closed:
                self.dropped += 1
                return False
            self._waiting[who] = client
            self._changed.notify()
        return True

    def waiting(self) -> int:
        with self._changed:
            return len(self._waiting)

    def close(self) -> None:
        """Stop; fetches still waiting are dropped (see the module)."""
        with self._changed:
            self._closed = True
            self.dropped += len(self._waiting)
            self._waiting.clear()
            self._changed.notify()
        self._thread.join(timeout=10)

    def _fetch_waiting(self) -> None:
        next_at = self._monotonic()
        while True:
            with self._changed:
                while not self._closed and (not self._waiting or self._monotonic() < next_at):
                    wait = next_at - self._monotonic() if self._waiting else None
                    self._changed.wait(wait)
                if self._closed:
                    return
                who, client = self._waiting.popitem(last=False)
            next_at = self._monotonic() + self._interval
            try:
                user = ClientProfile(client, who.user_id).user()
                if user is not None:
                    self._user_changed(who, user)
            except Exception:  # the thread must outlive any one person's failure
                logger.exception("profile of %s not fetched", who.user_id)
