"""Undo: a Skip or a Done can be taken back for a short while, in place on the message.

The window is measured from when the answer was recorded (the nudge's `outcome_at`, the
completion's `completed_at`), read from the database and never from the button: a forged or
replayed Undo value cannot stretch it. The Undo button carries that instant as `stamp`, so an
Undo clicked twice, or retried by Slack after the person answered again, takes back only the
answer it was shown for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from bot.domain.content import Activity

UNDO_WINDOW = timedelta(seconds=60)
# Where a Done can be taken back. Not a challenge's: its Done is on a post the whole channel
# shares, and the leaderboard counted it for everyone to see (see README).
UNDOABLE_SOURCES = ("command", "nudge", "self")


class Undone(Enum):
    """How an Undo click ended."""

    UNDONE = "undone"  # taken back: the message is restored
    TOO_LATE = "too late"  # the window had closed: nothing changed
    NOTHING = "nothing"  # nothing of the clicker's to take back (undone already, or not theirs)


@dataclass(frozen=True)
class Restored:
    """What the message showed before the answer that was taken back: a card (offering
    reminders to someone without them, as `/stretch` does), or a nudge (`nudge_id`, with its
    snoozed opening and back-off note) showing `activity`."""

    activity: Activity
    card: str
    source: str
    offer_reminders: bool = False
    nudge_id: int | None = None
    snoozed: bool = False
    backoff_interval: int | None = None


def within_undo_window(answered_at: datetime, now: datetime) -> bool:
    """Whether an answer recorded at `answered_at` may still be taken back at `now`."""
    return timedelta(0) <= now - answered_at <= UNDO_WINDOW


def stamp(at: datetime) -> int:
    """An instant as whole microseconds since the epoch: exact, and small in a button value."""
    return (at - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def matches_stamp(at: datetime | None, value: object) -> bool:
    """Whether the stored instant `at` is the one an Undo button was made for."""
    is_number = isinstance(value, int) and not isinstance(value, bool)
    return at is not None and is_number and stamp(at) == value
