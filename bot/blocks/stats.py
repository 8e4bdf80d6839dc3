"""Progress as Slack messages: the stats reply, the App Home's progress blocks, the Friday summary.

Charts are plain text so they read the same on a phone as on a desktop:

* the last 7 days as a bar chart in a code block, one line a day: ``Mon ▇▇▇ 3``. Bars are one
  block per Done, scaled down to ``BAR_WIDTH`` blocks when the busiest day had more;
* the last 4 weeks as a calendar of emoji squares, Monday first under a weekday header: ⬜ no
  Done, 🟨 one, 🟩 two or more; days after today are left blank.

Someone with no Done yet gets a friendly pointer to ``/stretch`` instead of empty charts.
The numbers come from :class:`bot.domain.progress.ProgressView` (see :mod:`bot.domain.progress`
for the rules).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.blocks.message import Message, context, escape, section
from bot.domain.progress import ProgressView, Streaks, WeekComparison
from bot.domain.zones import WEEKDAY_ABBREVIATIONS

BAR_WIDTH = 10
BAR = "▇"
NO_BAR = "·"
EMPTY_STATE = (
    "No stretches yet — try `/stretch` for a two-minute break. Your streak, totals and charts "
    "show up here after your first one."
)

_HEATMAP_HEADER = "Mo Tu We Th Fr Sa Su"
_HEATMAP_LEGEND = "⬜ none  🟨 1  🟩 2 or more"
_FUTURE = "  "  # two cells wide, like an emoji square


def stats_message(stats: ProgressView) -> Message:
    """The reply to ``/stretch stats``: a header over :func:`progress_blocks`."""
    blocks: list[Block] = [HeaderBlock(text="Your stretch progress"), *progress_blocks(stats)]
    return Message.build(_fallback(stats), blocks)


def progress_blocks(stats: ProgressView) -> list[Block]:
    """Streaks and totals, both charts, the nudge done rate and favourites in at most 6 blocks,
    untitled so the App Home can place them under its own heading."""
    if stats.totals.total == 0:
        return [section(EMPTY_STATE)]
    return [
        _numbers(stats),
        section("*Last 7 days*\n" + _code(_bar_chart(_by_weekday(stats.last_7_days)))),
        section("*Last 4 weeks*\n" + _code(_heatmap_lines(stats.last_4_weeks, stats.today))),
        context(_HEATMAP_LEGEND),
        section(_rate_and_favourites(stats)),
        context(
            f"Days follow your clock ({stats.tz}). Days you don't work, paused days, time off "
            "and public holidays never break a streak; a stretch on one still counts."
        ),
    ]


def weekly_summary_message(comparison: WeekComparison, streaks: Streaks) -> Message:
    """The Friday DM: this week so far against the same days of last week, and the streak."""
    headline = _week_headline(comparison)
    blocks: list[Block] = [section(headline)]
    if comparison.this_week or comparison.last_week:
        rows = [("This week", comparison.this_week), ("Last week", comparison.last_week)]
        blocks.append(section(_code(_bar_chart(rows))))
    blocks.append(context(_streak_line(streaks)))
    return Message.build(headline, blocks)


def _fallback(stats: ProgressView) -> str:
    if stats.totals.total == 0:
        return EMPTY_STATE
    totals = stats.totals
    return (
        f"Your stretch progress: {_streak_line(stats.streaks)} Today {totals.today}, "
        f"this week {totals.this_week}, this month {totals.this_month}, total {totals.total}."
    )


def _numbers(stats: ProgressView) -> SectionBlock:
    streaks, totals = stats.streaks, stats.totals
    fields = [
        f"*Current streak*\n🔥 {_plural(streaks.current, 'day')}",
        f"*Best streak*\n🏆 {_plural(streaks.best, 'day')}",
        f"*Today*\n{totals.today}",
        f"*This week*\n{totals.this_week}",
        f"*This month*\n{totals.this_month}",
        f"*Total*\n{totals.total}",
    ]
    return SectionBlock(fields=[MarkdownTextObject(text=field) for field in fields])


def _by_weekday(days: Sequence[tuple[date, int]]) -> list[tuple[str, int]]:
    return [(WEEKDAY_ABBREVIATIONS[day.weekday()], count) for day, count in days]


def _bar_chart(rows: Sequence[tuple[str, int]]) -> list[str]:
    """One ``label bar count`` line a row, the counts lined up after the longest bar."""
    top = max(count for _, count in rows)
    return [f"{label} {_bar(count, top):<{BAR_WIDTH}} {count}" for label, count in rows]


def _bar(count: int, top: int) -> str:
    """``count`` blocks, scaled so ``top`` fits ``BAR_WIDTH``; any Done shows at least one."""
    if count == 0:
        return NO_BAR
    if top <= BAR_WIDTH:
        return BAR * count
    return BAR * max(1, round(count * BAR_WIDTH / top))


def _heatmap_lines(weeks: Sequence[Sequence[tuple[date, int]]], today: date) -> list[str]:
    """A weekday header, then one row a week labelled with its Monday ("Mar  2")."""
    return [" " * 7 + _HEATMAP_HEADER, *(_heatmap_row(week, today) for week in weeks)]


def _heatmap_row(week: Sequence[tuple[date, int]], today: date) -> str:
    monday = week[0][0]
    squares = " ".join(_square(day, count, today) for day, count in week)
    return f"{monday:%b} {monday.day:>2} {squares}".rstrip()


def _square(day: date, count: int, today: date) -> str:
    if day > today:
        return _FUTURE
    if count == 0:
        return "⬜"
    return "🟨" if count == 1 else "🟩"


def _rate_and_favourites(stats: ProgressView) -> str:
    if stats.done_rate is None:
        rate = "*Reminders:* no reminders yet"
    else:
        rate = f"*Reminders:* {round(stats.done_rate * 100)}% done"
    if stats.self_reported:
        breaks = "1 break" if stats.self_reported == 1 else f"{stats.self_reported} breaks"
        rate += f"\n*Self-reported:* {breaks} you took on your own, counted like a Done"
    if not stats.favourites:
        return rate
    ranked = "\n".join(
        f"{rank}. {escape(title)} — {count}×"
        for rank, (title, count) in enumerate(stats.favourites, start=1)
    )
    return f"{rate}\n*Favourites*\n{ranked}"


def _week_headline(comparison: WeekComparison) -> str:
    this_week, last_week, change = comparison.this_week, comparison.last_week, comparison.change
    if this_week == last_week == 0:
        return (
            "Your week in stretches: none yet this week or last. A two-minute `/stretch` is a "
            "nice way to end the week."
        )
    done = f"Your week in stretches: {_plural(this_week, 'stretch', 'stretches')} this week"
    if change > 0:
        return f"{done}, {change} more than the same days last week ({last_week}). 🎉"
    if change == 0:
        return f"{done}, as many as on the same days last week. Steady! 👏"
    return (
        f"{done}, {-change} fewer than the same days last week ({last_week}). "
        "There's still time for a quick `/stretch`."
    )


def _streak_line(streaks: Streaks) -> str:
    if streaks.best == 0:
        return "Your first stretch starts a streak."
    if streaks.current == 0:
        return f"A stretch today starts a new streak (best: {_plural(streaks.best, 'day')})."
    return f"🔥 {streaks.current}-day streak (best: {_plural(streaks.best, 'day')})."


def _code(lines: Sequence[str]) -> str:
    return "```\n" + "\n".join(lines) + "\n```"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"
