"""Away from the desk: Slack's presence (`users.getPresence`) asked when a nudge falls due.

Someone `away` is not nudged: the nudge is held and looked at again like a meeting's. If they are
still away when the hold would reach their next slot (or the end of their work day), the nudge
is recorded as *away* — not as ignored, so it never counts towards the back-off after ignored
nudges. A presence Slack did not tell us (an error, a 429, the rate budget spent) is treated as
present: a nudge is never lost, or held without reason, because a check failed.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

from bot.domain.availability import Busy
from bot.domain.i18n import N_

AWAY = "away"
AWAY_FROM_DESK = Busy(N_("away from the desk"), None)
# `users.getPresence` is Tier 3: about 50 calls a minute per workspace.
PRESENCE_CALLS_PER_MINUTE = 45


def away_from_desk(presence: str | None) -> Busy | None:
    """Why not to nudge someone whose presence Slack gave (None: unknown, so nudge them)."""
    return AWAY_FROM_DESK if presence == AWAY else None


def still_away_past(until: datetime, next_slot: datetime | None, day_end: datetime | None) -> bool:
    """Whether a hold until `until` would reach the person's next slot or the end of their work
    day: then the slot is recorded as away instead of held."""
    return any(limit is not None and until >= limit for limit in (next_slot, day_end))


class CallWindow:
    """At most `per_minute` calls in any 60 seconds (a sliding window over the given instants).
    Not thread-safe: its owner locks."""

    def __init__(self, per_minute: int = PRESENCE_CALLS_PER_MINUTE) -> None:
        self._per_minute = per_minute
        self._calls: deque[datetime] = deque()

    def take(self, now: datetime) -> bool:
        """Use one call at `now` if the window has room; False when it has none."""
        while self._calls and now - self._calls[0] >= timedelta(minutes=1):
            self._calls.popleft()
        if len(self._calls) >= self._per_minute:
            return False
        self._calls.append(now)
        return True
