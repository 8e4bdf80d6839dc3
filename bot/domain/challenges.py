"""Pure challenge rules: reading `/stretch challenge start …`, planning the days, ranking.

A challenge runs for N of the starter's work days, posting at a set local time in the starter's
zone. Day 1 is today when the post time is still ahead, otherwise the next work day.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import Enum, auto
from zoneinfo import ZoneInfo

from bot.domain.i18n import N_, _
from bot.domain.zones import next_work_day

DEFAULT_DAYS = 5
DEFAULT_AT = time(11, 0)
MAX_DAYS = 30
USAGE = N_(
    "`/stretch challenge start [N days] [at HH:MM]` — e.g. `/stretch challenge start`, "
    "`/stretch challenge start 10 days at 14:30`"
)

_DAYS = re.compile(r"^(?P<n>-?\d+)\s*(?:d|day|days|work\s*days?)?$")
_START = re.compile(r"(?P<days>.*?)(?:(?:^| )(?P<at_word>at)(?: (?P<at>.*))?)?")
_AT = re.compile(r"^(?:at\s+)?(?P<h>\d{1,2})(?::(?P<m>\d{2}))?$")


class ChallengeInputError(ValueError):
    """Bad `start` arguments; the message is meant for the person who typed them."""


@dataclass(frozen=True)
class StartRequest:
    days: int = DEFAULT_DAYS
    at: time = DEFAULT_AT


def parse_start(args: str) -> StartRequest:
    """`""`, `"10 days"`, `"at 14:30"`, `"3 days at 9:15"`, `"7"`, `"3d at 10"`."""
    words = " ".join(args.lower().split())
    parts = _START.fullmatch(words)
    assert parts is not None  # every text matches: the days part alone if nothing else
    days = _read_days(parts["days"]) if parts["days"] else DEFAULT_DAYS
    at = _read_time(parts["at"] or "", words) if parts["at_word"] else DEFAULT_AT
    return StartRequest(days, at)


def _read_days(text: str) -> int:
    match = _DAYS.match(text)
    if not match:
        raise ChallengeInputError(
            _(
                "I couldn't read “{text}” as a number of days. Use: {usage}",
                text=text,
                usage=_(USAGE),
            )
        )
    days = int(match["n"])
    if not 1 <= days <= MAX_DAYS:
        raise ChallengeInputError(
            _(
                "A challenge lasts 1 to {most} work days — “{days}” is outside that. Use: {usage}",
                most=MAX_DAYS,
                days=days,
                usage=_(USAGE),
            )
        )
    return days


def _read_time(text: str, words: str) -> time:
    match = _AT.match(text)
    hour = int(match["h"]) if match else -1
    minute = int(match["m"] or 0) if match else -1
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        shown = text or words
        raise ChallengeInputError(
            _(
                "“{text}” isn't a time of day (00:00–23:59). Use: {usage}",
                text=shown,
                usage=_(USAGE),
            )
        )
    return time(hour, minute)


@dataclass(frozen=True)
class PlannedDay:
    number: int
    local_date: date
    due_at: datetime  # UTC
    exercise_id: str


def plan_days(
    now: datetime,
    tz: str,
    work_days: frozenset[int],
    request: StartRequest,
    exercise_ids: Sequence[str],
    seed: str,
) -> list[PlannedDay]:
    """The challenge's days: N work days from today (if the post time is still ahead) at the
    local post time, each with an exercise — every exercise once before any repeats."""
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    day = local_now.date()
    if day.weekday() not in work_days or _instant(day, request.at, zone) <= now:
        day = next_work_day(day, work_days)
    exercises = _varied(exercise_ids, request.days, random.Random(seed))
    planned = []
    for number in range(1, request.days + 1):
        planned.append(
            PlannedDay(number, day, _instant(day, request.at, zone), exercises[number - 1])
        )
        day = next_work_day(day, work_days)
    return planned


def _instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _varied(ids: Sequence[str], count: int, rng: random.Random) -> list[str]:
    plan: list[str] = []
    while len(plan) < count:
        batch = list(ids)
        rng.shuffle(batch)
        if plan and batch[0] == plan[-1] and len(batch) > 1:
            batch.append(batch.pop(0))  # never the same exercise two days running
        plan.extend(batch)
    return plan[:count]


@dataclass(frozen=True)
class Standing:
    user_id: str
    days_done: int
    rank: int


def leaderboard(days_done_by_user: dict[str, int], members: Iterable[str]) -> list[Standing]:
    """Everyone who joined or did a day, most days first; equal counts share a rank."""
    everyone = dict.fromkeys(members, 0) | days_done_by_user
    ordered = sorted(everyone.items(), key=lambda item: (-item[1], item[0]))
    standings, rank, previous = [], 0, None
    for position, (user_id, done) in enumerate(ordered, start=1):
        if done != previous:
            rank, previous = position, done
        standings.append(Standing(user_id, done, rank))
    return standings


@dataclass(frozen=True)
class Results:
    total: int
    completion_rate: float | None  # done / (participants × days posted)
    every_day: list[str]
    top_three: list[Standing]


def results(standings: list[Standing], days_posted: int) -> Results:
    total = sum(s.days_done for s in standings)
    possible = len(standings) * days_posted
    return Results(
        total=total,
        completion_rate=total / possible if possible else None,
        every_day=[s.user_id for s in standings if days_posted and s.days_done >= days_posted],
        top_three=[s for s in standings if s.rank <= 3 and s.days_done > 0][:3],
    )


@dataclass(frozen=True)
class ChallengeEntry:
    channel_id: str
    active: bool


@dataclass(frozen=True)
class ChallengeInfo:
    challenge_id: int
    started_by: str
    days: int
    first_day: date
    last_day: date
    at: str  # "11:00"
    tz: str
    ended: bool = False


class Outcome(Enum):
    """What a challenge command or button did, when the case alone says it all."""

    DIRECT_MESSAGE = auto()  # challenges live in channels: nothing is done in a DM
    NONE_IN_CHANNEL = auto()
    ALREADY_RUNNING = auto()  # one challenge per channel at a time
    STARTED_MEANWHILE = auto()  # another start in the same channel won the race
    JOINED = auto()
    JOIN_AFTER_END = auto()
    LEFT = auto()
    NOT_A_MEMBER = auto()  # asked to leave a challenge they were not in
    DAY_NOT_OPEN = auto()
    DONE_AFTER_END = auto()
    ENDED = auto()
    ALREADY_ENDED = auto()  # someone (or the last day) ended it first
    OTHER_CHANNEL = auto()  # a button naming a challenge of another channel


@dataclass(frozen=True)
class Problem:
    """Nothing was done, for a reason meant for the person: a `start` they typed wrong, a
    channel the app cannot post in."""

    explanation: str


@dataclass(frozen=True)
class ChannelNotAllowed:
    """The workspace's admins let challenges run only in these channels."""

    allowed: frozenset[str]


@dataclass(frozen=True)
class NotAllowedToEnd:
    """Only the starter or a workspace admin ends a challenge early."""

    started_by: str


@dataclass(frozen=True)
class Started:
    info: ChallengeInfo


@dataclass(frozen=True)
class DayDone:
    day_number: int
    days_done: int  # by this person in this challenge, this day included
    already_counted: bool


@dataclass(frozen=True)
class StatusReport:
    info: ChallengeInfo
    standings: list[Standing]


# What the challenge use cases return, for the listener to turn into an answer.
ChallengeOutcome = (
    Outcome | Problem | ChannelNotAllowed | NotAllowedToEnd | Started | DayDone | StatusReport
)
