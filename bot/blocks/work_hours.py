"""Work hours in Slack: the Settings modal's row per weekday (with "same as Monday"), reading
those rows back, and the answer to `/stretch hours`.

Each row is a text input like ``9-12:30, 13:30-17`` read by `bot.domain.hours_text.parse_windows`;
an empty row is a day off. A day ticked under "Same hours as Monday" takes Monday's row and its own
is ignored. A submission yields a whole `WorkPattern` or errors on the rows it could not read:
never part of a week.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import CheckboxesElement, InputBlock, Option, PlainTextInputElement

from bot.blocks.message import Message, context, escape, section
from bot.blocks.reminders import local_time
from bot.domain.hours_text import EXAMPLE_DAY, EXAMPLE_WEEK, parse_windows
from bot.domain.i18n import _, weekday_names
from bot.domain.reminders import ReminderStatus
from bot.domain.work_pattern import (
    Window,
    WorkPattern,
    WorkPatternError,
    describe_week,
    format_windows,
)
from bot.domain.zones import WEEKDAY_ABBREVIATIONS

HOURS_BLOCKS = tuple(f"hours_{name.lower()}" for name in WEEKDAY_ABBREVIATIONS)
SAME_AS_MONDAY_BLOCK = "hours_same_as_monday"
# Three windows "HH:MM-HH:MM" with separators take 38 characters; room for spaces and am/pm.
ROW_MAX_LENGTH = 80


def hours_inputs(pattern: WorkPattern) -> list[InputBlock]:
    """Monday's row, the "same as Monday" choice, then a row for each other day."""
    names = weekday_names()
    rows = [_row(day, names[day], pattern) for day in range(7)]
    same = CheckboxesElement(
        action_id=SAME_AS_MONDAY_BLOCK,
        options=[Option(value=str(day), label=names[day]) for day in range(1, 7)],
    )
    same_block = InputBlock(
        block_id=SAME_AS_MONDAY_BLOCK,
        label=_("Same hours as Monday"),
        element=same,
        hint=_("A ticked day takes Monday's hours; its own row below is ignored."),
        optional=True,
    )
    return [rows[0], same_block, *rows[1:]]


def _row(day: int, name: str, pattern: WorkPattern) -> InputBlock:
    element = PlainTextInputElement(
        action_id=HOURS_BLOCKS[day],
        placeholder=_("Not working") if day else EXAMPLE_DAY,
        initial_value=format_windows(pattern.days[day]) or None,
        max_length=ROW_MAX_LENGTH,
    )
    hint = None
    if day == 0:
        hint = _(
            "Work hours per day, up to three windows: 9-12:30, 13:30-17. 22-6 runs past "
            "midnight and counts for the day it starts. Empty: not working."
        )
    return InputBlock(
        block_id=HOURS_BLOCKS[day],
        label=name,
        element=element,
        hint=hint,
        optional=True,
    )


def read_hours(values: dict[Any, Any]) -> WorkPattern | dict[str, str]:
    """The week from a submission's state values, or errors keyed by block id."""
    errors: dict[str, str] = {}
    same = _same_as_monday(values.get(SAME_AS_MONDAY_BLOCK))
    if same is None:
        errors[SAME_AS_MONDAY_BLOCK] = _("Tick days from Tuesday to Sunday, or none.")
        same = frozenset()
    week: list[tuple[Window, ...]] = []
    for day, block_id in enumerate(HOURS_BLOCKS):
        text = _text(values.get(block_id), block_id)
        try:
            if day in same:
                week.extend(week[:1])  # none when Monday's row was unreadable: errors follow
            elif text is None:
                errors[block_id] = _(
                    "Type hours like {example}, or leave it empty for a day off.",
                    example=EXAMPLE_DAY,
                )
            else:
                week.append(parse_windows(text))
        except WorkPatternError as problem:
            errors[block_id] = str(problem)
    if errors:
        return errors
    try:
        return WorkPattern(tuple(week))
    except WorkPatternError as problem:
        return {HOURS_BLOCKS[problem.weekday or 0]: str(problem)}


def hours_message(
    pattern: WorkPattern, status: ReminderStatus, now: datetime, *, saved: bool
) -> Message:
    """The whole week, days off included, after `/stretch hours` set it or asked for it."""
    if saved:
        lead = _(
            "Saved. Your work hours (days you did not name are off), in {zone}:", zone=status.tz
        )
    else:
        lead = _("Your work hours, in {zone}:", zone=status.tz)
    text = lead + "\n" + "\n".join(describe_week(pattern))
    if status.on and status.next_at:
        next_at = local_time(status.next_at, status.tz, now)
        text += "\n" + _("Next reminder at {time}.", time=next_at)
    elif not status.on:
        text += "\n" + _("Reminders are off: `/stretch on` turns them on.")
    change = _(
        "Change them with `/stretch hours {example}` or in `/stretch settings`.",
        example=EXAMPLE_WEEK,
    )
    return Message.build(text, [section(text), context(change)])


def hours_problem_message(problem: str) -> Message:
    """A `/stretch hours` entry that could not be read; nothing was saved."""
    text = (
        escape(problem)
        + "\n"
        + _(
            "Nothing was saved. For example: `/stretch hours {example}` "
            "(days you leave out are days off).",
            example=EXAMPLE_WEEK,
        )
    )
    return Message.build(text, [section(text)])


def _text(block: Any, block_id: str) -> str | None:
    """The row's text ("" when left empty), or None when the payload is not a text input's."""
    action = block.get(block_id) if isinstance(block, dict) else None
    if not isinstance(action, dict):
        return None
    value = action.get("value")
    if value is None:
        return ""
    return value if isinstance(value, str) and len(value) <= ROW_MAX_LENGTH else None


def _same_as_monday(block: Any) -> frozenset[int] | None:
    action = block.get(SAME_AS_MONDAY_BLOCK) if isinstance(block, dict) else None
    options = action.get("selected_options") if isinstance(action, dict) else None
    if not isinstance(options, list):
        return None
    values = [option.get("value") if isinstance(option, dict) else None for option in options]
    days = {str(day): day for day in range(1, 7)}
    if not all(isinstance(value, str) and value in days for value in values):
        return None
    return frozenset(days[value] for value in values)
