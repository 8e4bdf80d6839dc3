"""Pure rules of a group break ("Stretch together, now"): reading when it starts, its timing,
which exercises suit a group, and reading an `@Stretch Break stretch` mention.

Anyone in a channel starts one: an invitation with **I'm in** now, the exercise in the
invitation's thread at the start, and a closing count once the exercise (plus a grace period
for late Dones) is over.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, auto

from bot.domain.challenges import ChannelNotAllowed
from bot.domain.content import Exercise
from bot.domain.i18n import N_, _

DEFAULT_DELAY_MINUTES = 2
MAX_DELAY_MINUTES = 60
# After the exercise's own minutes: time for the last Dones before the count is closed.
GRACE = timedelta(minutes=3)
# chat.update is Tier 3 (~50 a minute per workspace): one invitation changes at most this often.
INVITATION_UPDATE_EVERY = timedelta(seconds=5)
USAGE = N_(
    "`/stretch together` (in 2 minutes), `/stretch together now` or "
    "`/stretch together in 5` (1 to 60 minutes)"
)

QUOTED_LENGTH = 60
_IN_MINUTES = re.compile(r"^in (?P<n>-?\d+) ?(?:m|min|mins|minute|minutes)?$")
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


class GroupBreakInputError(ValueError):
    """Bad `together` arguments; the message is meant for the person who typed them."""


def parse_delay(args: str) -> timedelta:
    """How long until the break starts: `""` (2 minutes), `"now"`, `"in 5"`, `"in 10 min"`."""
    words = " ".join(args.lower().split())
    if not words:
        return timedelta(minutes=DEFAULT_DELAY_MINUTES)
    if words == "now":
        return timedelta(0)
    match = _IN_MINUTES.match(words)
    if not match:
        raise GroupBreakInputError(
            _(
                "I couldn't read “{words}” as a start. Try {usage}.",
                words=_quoted(words),
                usage=_(USAGE),
            )
        )
    minutes = int(match["n"])
    if not 1 <= minutes <= MAX_DELAY_MINUTES:
        raise GroupBreakInputError(
            _(
                "A group break starts in 1 to {most} minutes — “{minutes}” is outside "
                "that. Try {usage}.",
                most=MAX_DELAY_MINUTES,
                minutes=minutes,
                usage=_(USAGE),
            )
        )
    return timedelta(minutes=minutes)


def _quoted(words: str) -> str:
    """What the person typed, shortened to fit an answer (a mention has no length limit)."""
    return words if len(words) <= QUOTED_LENGTH else words[: QUOTED_LENGTH - 1] + "…"


@dataclass(frozen=True)
class Timing:
    starts_at: datetime  # when the exercise is posted in the thread
    closes_at: datetime  # when the invitation shows the final count


def timing(requested_at: datetime, delay: timedelta, exercise_minutes: int) -> Timing:
    starts_at = requested_at + delay
    return Timing(starts_at, starts_at + timedelta(minutes=exercise_minutes) + GRACE)


def minutes_until(now: datetime, starts_at: datetime) -> int:
    """Whole minutes until the start, rounded up (a start 61 seconds away is "in 2 minutes")."""
    seconds = (starts_at - now).total_seconds()
    return max(0, -int(-seconds // 60))


def suits_a_group(exercise: Exercise) -> bool:
    """Done by everyone at once, wherever they are: seated or standing — never on the floor —
    and needing nothing but the chair they sit on."""
    return (
        exercise.position in ("seated", "standing")
        and exercise.space in ("seat", "standing room")
        and set(exercise.equipment) <= {"chair"}
    )


def pick_for_group(exercises: Sequence[Exercise], seed: str) -> Exercise | None:
    """One exercise that suits a group (the same for the same seed), or None if none does."""
    suitable = [exercise for exercise in exercises if suits_a_group(exercise)]
    return random.Random(seed).choice(suitable) if suitable else None


def mention_request(text: str) -> str | None:
    """What follows `stretch` (and an optional `together`) in a mention of the bot —
    `"<@UBOT> stretch in 5"` → `"in 5"` — or None when the mention asks for something else."""
    words = _MENTION.sub(" ", text).split()
    if not words or words[0].lower() != "stretch":
        return None
    rest = words[1:]
    if rest and rest[0].lower() == "together":
        rest = rest[1:]
    return " ".join(rest)


MENTION_USAGE = N_(
    "Say `@Stretch Break stretch` for a group break in 2 minutes, `@Stretch Break stretch now` "
    "or `@Stretch Break stretch in 5`."
)


class Answer(Enum):
    """What became of a request to start a group break, or of a click on its buttons."""

    DIRECT_MESSAGE = auto()
    NOT_A_MEMBER = auto()
    NO_EXERCISE = auto()
    ALREADY_REQUESTED = auto()  # Slack delivered the same mention again: say nothing
    OTHER_CHANNEL = auto()  # a button naming a group break of another channel
    UNKNOWN = auto()
    NOT_STARTED = auto()
    JOINED = auto()
    ALREADY_JOINED = auto()


@dataclass(frozen=True)
class Started:
    starts_at: datetime


@dataclass(frozen=True)
class AlreadyOne:
    """The channel has a group break already; it starts (or started) then."""

    starts_at: datetime


@dataclass(frozen=True)
class Problem:
    explanation: str  # may quote what the person typed


@dataclass(frozen=True)
class Counted:
    """A Done on the group break's exercise: new, or already counted."""

    exercise_title: str
    already_counted: bool


GroupBreakOutcome = Answer | Started | AlreadyOne | Problem | Counted | ChannelNotAllowed


@dataclass(frozen=True)
class InvitationState:
    """What the invitation shows: when, who asked, and the counts so far."""

    group_break_id: int
    started_by: str
    starts_at: datetime
    exercise_posted: bool
    ended: bool
    joined: int
    done: int
