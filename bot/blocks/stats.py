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

import unicodedata
from collections.abc import Sequence
from datetime import date

from babel.dates import get_month_names
from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.blocks.message import Message, context, escape, header, section
from bot.domain.i18n import N_, _, current_locale, format_share, ngettext, weekday_names
from bot.domain.progress import ProgressView, Streaks, WeekComparison

BAR_WIDTH = 10
BAR = "▇"
NO_BAR = "·"
# In English; shown through `_`.
EMPTY_STATE = N_(
    "No stretches yet — try `/stretch` for a two-minute break. Your streak, totals and charts "
    "show up here after your first one."
)

_FUTURE = "  "  # two cells wide, like an emoji square


def stats_message(stats: ProgressView) -> Message:
    """The reply to ``/stretch stats``: a header over :func:`progress_blocks`."""
    blocks: list[Block] = [header(_("Your stretch progress")), *progress_blocks(stats)]
    return Message.build(_fallback(stats), blocks)


def progress_blocks(stats: ProgressView) -> list[Block]:
    """Streaks and totals, both charts, the nudge done rate and favourites in at most 6 blocks,
    untitled so the App Home can place them under its own heading."""
    if stats.totals.total == 0:
        return [section(_(EMPTY_STATE))]
    return [
        _numbers(stats),
        section(_("*Last 7 days*") + "\n" + _code(_bar_chart(_by_weekday(stats.last_7_days)))),
        section(
            _("*Last 4 weeks*") + "\n" + _code(_heatmap_lines(stats.last_4_weeks, stats.today))
        ),
        context(_("⬜ none  🟨 1  🟩 2 or more")),
        section(_rate_and_favourites(stats)),
        context(
            _(
                "Days follow your clock ({tz}). Days you don't work, paused days, time off "
                "and public holidays never break a streak; a stretch on one still counts.",
                tz=stats.tz,
            )
        ),
    ]


def weekly_summary_message(comparison: WeekComparison, streaks: Streaks) -> Message:
    """The Friday DM: this week so far against the same days of last week, and the streak."""
    headline = _week_headline(comparison)
    blocks: list[Block] = [section(headline)]
    if comparison.this_week or comparison.last_week:
        rows = [(_("This week"), comparison.this_week), (_("Last week"), comparison.last_week)]
        blocks.append(section(_code(_bar_chart(rows))))
    blocks.append(context(_streak_line(streaks)))
    return Message.build(headline, blocks)


def _fallback(stats: ProgressView) -> str:
    if stats.totals.total == 0:
        return _(EMPTY_STATE)
    totals = stats.totals
    return _(
        "Your stretch progress: {streak} Today {today}, this week {week}, this month {month}, "
        "total {total}.",
        streak=_streak_line(stats.streaks),
        today=totals.today,
        week=totals.this_week,
        month=totals.this_month,
        total=totals.total,
    )


def _numbers(stats: ProgressView) -> SectionBlock:
    streaks, totals = stats.streaks, stats.totals
    fields = [
        ngettext("*Current streak*\n🔥 {n} day", "*Current streak*\n🔥 {n} days", streaks.current),
        ngettext("*Best streak*\n🏆 {n} day", "*Best streak*\n🏆 {n} days", streaks.best),
        _("*Today*\n{count}", count=totals.today),
        _("*This week*\n{count}", count=totals.this_week),
        _("*This month*\n{count}", count=totals.this_month),
        _("*Total*\n{count}", count=totals.total),
    ]
    return SectionBlock(fields=[MarkdownTextObject(text=field) for field in fields])


def _by_weekday(days: Sequence[tuple[date, int]]) -> list[tuple[str, int]]:
    names = weekday_names("abbreviated")
    return [(names[day.weekday()], count) for day, count in days]


def _bar_chart(rows: Sequence[tuple[str, int]]) -> list[str]:
    """One ``label bar count`` line a row, the labels padded to the longest and the counts lined
    up after the longest bar."""
    top = max(count for _label, count in rows)
    width = max(len(label) for label, _count in rows)
    return [f"{label:<{width}} {_bar(count, top):<{BAR_WIDTH}} {count}" for label, count in rows]


def _bar(count: int, top: int) -> str:
    """``count`` blocks, scaled so ``top`` fits ``BAR_WIDTH``; any Done shows at least one."""
    if count == 0:
        return NO_BAR
    if top <= BAR_WIDTH:
        return BAR * count
    return BAR * max(1, round(count * BAR_WIDTH / top))


def _heatmap_lines(weeks: Sequence[Sequence[tuple[date, int]]], today: date) -> list[str]:
    """A weekday header, then one row a week labelled with its Monday ("Mar  2")."""
    labels = [_week_label(week[0][0]) for week in weeks]
    width = max((_cells(label) for label in labels), default=0)
    header = " ".join(_cell(name) for name in weekday_names("short"))
    rows = [
        f"{label}{' ' * (width - _cells(label))} {_heatmap_row(week, today)}".rstrip()
        for label, week in zip(labels, weeks, strict=True)
    ]
    return [" " * (width + 1) + header, *rows]


def _week_label(monday: date) -> str:
    month = get_month_names("abbreviated", locale=current_locale())[monday.month]
    return f"{month} {monday.day:>2}"


def _cell(name: str) -> str:
    """A weekday name cut or padded to two cells, the width of an emoji square (a wide
    character such as 月 fills both)."""
    cell = ""
    for character in name:
        if _cells(cell + character) > 2:
            break
        cell += character
    return cell + " " * (2 - _cells(cell))


def _cells(text: str) -> int:
    """How many cells of a monospaced font ``text`` takes: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _heatmap_row(week: Sequence[tuple[date, int]], today: date) -> str:
    return " ".join(_square(day, count, today) for day, count in week)


def _square(day: date, count: int, today: date) -> str:
    if day > today:
        return _FUTURE
    if count == 0:
        return "⬜"
    return "🟨" if count == 1 else "🟩"


def _rate_and_favourites(stats: ProgressView) -> str:
    if stats.done_rate is None:
        rate = _("*Reminders:* no reminders yet")
    else:
        rate = _("*Reminders:* {percent} done", percent=format_share(stats.done_rate))
    if stats.self_reported:
        rate += "\n" + ngettext(
            "*Self-reported:* {n} break you took on your own, counted like a Done",
            "*Self-reported:* {n} breaks you took on your own, counted like a Done",
            stats.self_reported,
        )
    if not stats.favourites:
        return rate
    ranked = "\n".join(
        f"{rank}. {escape(title)} — {count}×"
        for rank, (title, count) in enumerate(stats.favourites, start=1)
    )
    return "\n".join([rate, _("*Favourites*"), ranked])


def _week_headline(comparison: WeekComparison) -> str:
    this_week, last_week, change = comparison.this_week, comparison.last_week, comparison.change
    if this_week == last_week == 0:
        return _(
            "Your week in stretches: none yet this week or last. A two-minute `/stretch` is a "
            "nice way to end the week."
        )
    if change > 0:
        return ngettext(
            "Your week in stretches: {n} stretch this week, {change} more than the same days "
            "last week ({last}). 🎉",
            "Your week in stretches: {n} stretches this week, {change} more than the same days "
            "last week ({last}). 🎉",
            this_week,
            change=change,
            last=last_week,
        )
    if change == 0:
        return ngettext(
            "Your week in stretches: {n} stretch this week, as many as on the same days last "
            "week. Steady! 👏",
            "Your week in stretches: {n} stretches this week, as many as on the same days last "
            "week. Steady! 👏",
            this_week,
        )
    return ngettext(
        "Your week in stretches: {n} stretch this week, {fewer} fewer than the same days last "
        "week ({last}). There's still time for a quick `/stretch`.",
        "Your week in stretches: {n} stretches this week, {fewer} fewer than the same days last "
        "week ({last}). There's still time for a quick `/stretch`.",
        this_week,
        fewer=-change,
        last=last_week,
    )


def _streak_line(streaks: Streaks) -> str:
    if streaks.best == 0:
        return _("Your first stretch starts a streak.")
    if streaks.current == 0:
        return ngettext(
            "A stretch today starts a new streak (best: {n} day).",
            "A stretch today starts a new streak (best: {n} days).",
            streaks.best,
        )
    return ngettext(
        "🔥 {current}-day streak (best: {n} day).",
        "🔥 {current}-day streak (best: {n} days).",
        streaks.best,
        current=streaks.current,
    )


def _code(lines: Sequence[str]) -> str:
    return "```\n" + "\n".join(lines) + "\n```"
