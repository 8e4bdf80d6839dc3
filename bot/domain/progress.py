"""Progress people can see — streaks, totals, charts' data — as pure functions over plain data.

Everything here works on *local calendar dates* in the person's own IANA zone. Instants (aware
datetimes, stored in UTC) become dates through :func:`local_days` and :func:`paused_dates`; from
then on it is date arithmetic only, so DST and odd offsets (Asia/Kathmandu +05:45,
Australia/Lord_Howe's 30-minute DST) are settled once, at the edge. Naive datetimes are refused.

The rules:

* **Local day.** A Done belongs to the date on the person's wall clock at that instant, so 23:30
  counts for today and 00:30 for tomorrow, whatever the UTC date is.
* **Streak.** A run of days with at least one Done, where the only days allowed to have none are
  *rest days* — days that are not one of the person's work days (0 = Monday), paused days, or
  days off (planned time off and public holidays, `bot.domain.days_off`) — and
  today, which stays open until it ends. A rest day without a Done neither breaks nor extends a
  streak; a rest day *with* a Done extends it by one, like any other day with a Done. So a streak
  counts the days with a Done in it, and only a missed work day that is over can break it.
  ``best`` is the longest streak ever, so ``best >= current``. Dates after today are ignored.
* **Paused day.** A local date any part of which a pause covers (a span's end is exclusive: a pause
  ending at midnight does not touch the next day). "Pause for the afternoon" thus excuses the day.
* **Totals.** Weeks start on Monday; "this week" and "this month" run up to and including today.
* **Done rate.** Done nudges over decided nudges. Decided means done, skipped or ignored; a snoozed
  nudge is not, because its re-nudge carries the decision (a snooze then Done is one of one, not
  one of two), and a nudge with no outcome yet is still pending.
* **Self-reported breaks.** A break the person took without the bot (`/stretch did a walk`, a
  nudge's "I moved anyway") counts like any Done, for streaks and totals; it is counted apart
  as self-reported, and has no exercise to be a favourite.
* **Weekly comparison.** This week so far against the same days of last week (Monday up to
  today's weekday), so a Friday summary compares Monday–Friday with Monday–Friday.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.days_off import NO_DAYS_OFF, DaysOff
from bot.domain.self_reports import SELF_REPORTED
from bot.domain.zones import local_date

DECIDED_OUTCOMES = frozenset({"done", "skipped", "ignored"})

_ONE_DAY = timedelta(days=1)
# A span's end is exclusive: its last covered instant is one tick (datetime's resolution) before.
_TICK = timedelta(microseconds=1)

DayCounts = Mapping[date, int]
"""Dones per local date, as :func:`local_days` returns them (missing dates count 0)."""


@dataclass(frozen=True)
class DoneEvent:
    at: datetime  # aware, normally UTC
    activity_id: str
    source: str  # "command" | "nudge" | "challenge" | "self" (self-reported)


@dataclass(frozen=True)
class NudgeEvent:
    slot_at: datetime
    outcome: str | None  # "done" | "snoozed" | "skipped" | "ignored" | None while pending


@dataclass(frozen=True)
class PausedSpan:
    start: datetime
    end: datetime  # exclusive


@dataclass(frozen=True)
class Streaks:
    current: int
    best: int


@dataclass(frozen=True)
class Totals:
    today: int
    this_week: int
    this_month: int
    total: int


@dataclass(frozen=True)
class WeekComparison:
    this_week: int
    last_week: int  # the same weekdays of last week
    change: int  # this_week - last_week


@dataclass(frozen=True)
class ProgressView:
    """Everything the stats message and the App Home show, computed for one person at one time."""

    today: date
    tz: str
    totals: Totals
    streaks: Streaks
    done_rate: float | None
    favourites: Sequence[tuple[str, int]]  # (title, count), most done first
    self_reported: int  # of the total, breaks the person reported themselves
    last_7_days: Sequence[tuple[date, int]]
    last_4_weeks: Sequence[Sequence[tuple[date, int]]]


def local_days(done: Iterable[DoneEvent], tz: str) -> Counter[date]:
    """Dones per local calendar date in zone ``tz``."""
    zone = ZoneInfo(tz)
    return Counter(local_date(event.at, zone) for event in done)


def paused_dates(spans: Iterable[PausedSpan], tz: str) -> set[date]:
    """Local dates in zone ``tz`` that a pause covers fully or partly; empty spans cover nothing."""
    zone = ZoneInfo(tz)
    covered: set[date] = set()
    for span in spans:
        if span.end > span.start:
            first = local_date(span.start, zone)
            last = local_date(span.end - _TICK, zone)
            covered.update(_dates(first, last))
    return covered


def streaks(
    done_days: Collection[date],
    work_days: frozenset[int],
    today: date,
    paused_days: Collection[date] = (),
) -> Streaks:
    """The current and best streak (see the module docstring); ``done_days`` are dates with a Done
    (a :func:`local_days` counter works), ``work_days`` weekday numbers with 0 = Monday."""
    days = sorted(day for day in done_days if day <= today)
    rest = frozenset(paused_days)
    run = best = 0
    previous: date | None = None
    for day in days:
        if previous is not None and _missed_work_day(previous, day, work_days, rest):
            run = 0
        run += 1
        best = max(best, run)
        previous = day
    if days and _missed_work_day(days[-1], today, work_days, rest):
        run = 0
    return Streaks(current=run, best=best)


def totals(done_days: DayCounts, today: date) -> Totals:
    """Dones today, this week (from Monday), this month and ever, all up to and including today."""
    week_start = _monday(today)
    past = {day: count for day, count in done_days.items() if day <= today}
    return Totals(
        today=past.get(today, 0),
        this_week=sum(count for day, count in past.items() if day >= week_start),
        this_month=sum(count for day, count in past.items() if day >= today.replace(day=1)),
        total=sum(past.values()),
    )


def done_rate(nudges: Iterable[NudgeEvent]) -> float | None:
    """The share of decided nudges that were done, or None when none is decided yet."""
    decided = [nudge.outcome for nudge in nudges if nudge.outcome in DECIDED_OUTCOMES]
    if not decided:
        return None
    return decided.count("done") / len(decided)


def favourites(done: Iterable[DoneEvent], n: int = 3) -> list[tuple[str, int]]:
    """The ``n`` most done activity ids with their counts; ties go alphabetically.
    Self-reported breaks are no activity of the library, and are left out."""
    counts = Counter(event.activity_id for event in done if event.source != SELF_REPORTED)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def last_7_days(done_days: DayCounts, today: date) -> list[tuple[date, int]]:
    """(date, Dones) for the six days before today and today, oldest first."""
    return _counts(done_days, _dates(today - 6 * _ONE_DAY, today))


def last_4_weeks(done_days: DayCounts, today: date) -> list[list[tuple[date, int]]]:
    """Four Monday-to-Sunday rows of (date, Dones), oldest first, the last being today's week
    (its days after today included, so every row has seven)."""
    this_monday = _monday(today)
    mondays = [this_monday - timedelta(weeks=weeks_ago) for weeks_ago in (3, 2, 1, 0)]
    return [_counts(done_days, _dates(monday, monday + 6 * _ONE_DAY)) for monday in mondays]


def compare_weeks(done_days: DayCounts, today: date) -> WeekComparison:
    """Dones this week so far against the same weekdays of last week."""
    this_monday = _monday(today)
    this_week = _sum(done_days, this_monday, today)
    last_week = _sum(done_days, this_monday - timedelta(weeks=1), today - timedelta(weeks=1))
    return WeekComparison(this_week=this_week, last_week=last_week, change=this_week - last_week)


def progress_view(
    done: Collection[DoneEvent],
    nudges: Iterable[NudgeEvent],
    pauses: Iterable[PausedSpan],
    *,
    tz: str,
    work_days: frozenset[int],
    now: datetime,
    titles: Mapping[str, str],
    days_off: DaysOff = NO_DAYS_OFF,
) -> ProgressView:
    """Bundles everything above for one person at ``now``; ``titles`` names activity ids (an id
    without a title, e.g. a retired exercise, shows as itself)."""
    today = local_date(now, ZoneInfo(tz))
    days = local_days(done, tz)
    rest = paused_dates(pauses, tz) | days_off.between(min(days, default=today), today)
    return ProgressView(
        today=today,
        tz=tz,
        totals=totals(days, today),
        streaks=streaks(days, work_days, today, rest),
        done_rate=done_rate(nudges),
        favourites=[(titles.get(id_, id_), count) for id_, count in favourites(done)],
        self_reported=sum(event.source == SELF_REPORTED for event in done),
        last_7_days=last_7_days(days, today),
        last_4_weeks=last_4_weeks(days, today),
    )


def _missed_work_day(
    after: date, before: date, work_days: frozenset[int], rest: frozenset[date]
) -> bool:
    """Whether a work day that is not paused lies strictly between the two dates."""
    return any(
        day.weekday() in work_days and day not in rest
        for day in _dates(after + _ONE_DAY, before - _ONE_DAY)
    )


def _dates(first: date, last: date) -> Iterator[date]:
    """Every date from ``first`` to ``last`` inclusive (none when ``last`` comes first)."""
    for offset in range((last - first).days + 1):
        yield first + offset * _ONE_DAY


def _monday(day: date) -> date:
    return day - day.weekday() * _ONE_DAY


def _counts(done_days: DayCounts, days: Iterable[date]) -> list[tuple[date, int]]:
    return [(day, done_days.get(day, 0)) for day in days]


def _sum(done_days: DayCounts, first: date, last: date) -> int:
    return sum(done_days.get(day, 0) for day in _dates(first, last))
