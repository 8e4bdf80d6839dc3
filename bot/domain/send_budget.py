"""A workspace's send budget as one number every instance moves: the next free slot.

Instances of the bot share a workspace's budget (`WORKSPACE_SENDS_PER_MINUTE`) by reserving
slots from one row in the database. The row holds the *next free slot* in microseconds since
the Unix epoch (UTC): reserving `n` slots moves it to `max(next_free, now) + n * interval`, one
atomic statement that any number of instances may run at once (the generic cell rate algorithm,
a token bucket of `capacity` tokens in another form). Whole microseconds keep the sum exact.

Slot `k` of a reservation opens at `max(now, first + k * interval - tolerance)`: up to `capacity`
slots open at once after a quiet spell, then one per `interval`. In any closed span of `L`
seconds at most `capacity + floor(L / interval)` slots open. A send goes in the
`GRANT_SECONDS` after its slot opens, or not at all (the pacer drops a slot it could not use in
time), so the sends of any 60 s window used slots that opened in a span shorter than
`60 + GRANT_SECONDS`; the interval is chosen just long enough that this is at most `per_minute`.
The price is a sustained rate of about `per_minute * 60 / 61 - capacity` (291 at 300).

Nothing in that argument depends on how many slots one reservation takes, so an instance asks
the database rarely: it reserves at least the slots that open in the next `GRANT_SPAN_SECONDS`
(a *grant*) and hands them out in process. At a budget Slack would allow that is no more than the
threads waiting; at a budget far above what the bot can send, one round trip serves hundreds of
sends. The span is kept short because the slots of a grant nobody uses simply expire: at most a
quarter of a second of the budget is lost to an instance with less to send than it reserved.

Instances read the shared time from their own clocks: clocks out of step by `d` seconds may add
`d / interval` sends to a minute (a few milliseconds under NTP: nothing at 300 a minute).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MAX_BURST = 10
# How long a slot stays usable after it opens: the channel's spacing is waited for before a slot
# is reserved, so this only has to cover a database round trip and a late wake from sleep.
GRANT_SECONDS = 1
GRANT_SPAN_SECONDS = 0.25
MICROSECOND = timedelta(microseconds=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
WINDOW_MICROSECONDS = (60 + GRANT_SECONDS) * 1_000_000


def microseconds(at: datetime) -> int:
    """`at` (aware) as whole microseconds since the Unix epoch."""
    return (at - EPOCH) // MICROSECOND


@dataclass(frozen=True)
class SendRate:
    """The pace that keeps every 60 s window at or under `per_minute` sends."""

    per_minute: int
    capacity: int  # slots that may open at once: one second's budget, at most MAX_BURST
    interval: int  # microseconds between slots at the sustained rate

    @classmethod
    def for_budget(cls, per_minute: int) -> SendRate:
        if per_minute < 1:
            raise ValueError(f"The budget must be at least one send a minute, got {per_minute}.")
        capacity = min(MAX_BURST, -(-per_minute // 60))
        # Strictly more than WINDOW / (per_minute - capacity + 1): then capacity + floor(WINDOW /
        # interval) <= per_minute.
        return cls(per_minute, capacity, WINDOW_MICROSECONDS // (per_minute - capacity + 1) + 1)

    def next_free(self, next_free: int, now: int, count: int) -> int:
        """The next free slot after reserving `count` at `now` (what the database computes)."""
        return max(next_free, now) + count * self.interval

    def grant_size(self, wanted: int) -> int:
        """How many slots to reserve for `wanted` sends: those, or all that open within
        `GRANT_SPAN_SECONDS`, whichever is more."""
        return max(wanted, int(GRANT_SPAN_SECONDS * 1_000_000) // self.interval)

    def grant(self, next_free_after: int, now: int, count: int) -> Grant:
        """The `count` slots just reserved at `now`, given the next free slot the reservation
        left."""
        first = next_free_after - count * self.interval - (self.capacity - 1) * self.interval
        return Grant(now, first, self.interval, count)


@dataclass(frozen=True)
class Grant:
    """Slots reserved in one round trip, in microseconds: slot `k` (of `count`) opens at
    `max(now, first + k * interval)` — up to `capacity` at once, then one per interval."""

    now: int
    first: int
    interval: int
    count: int

    def opens(self, k: int) -> int:
        """Microseconds after `now` that slot `k` opens."""
        return max(0, self.first + k * self.interval - self.now)
