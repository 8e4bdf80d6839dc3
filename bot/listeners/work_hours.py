"""`/stretch hours`: show the week, or set it from the text after `hours`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.blocks.message import Message
from bot.blocks.work_hours import hours_message, hours_problem_message
from bot.domain.work_pattern import WorkPatternError

if TYPE_CHECKING:
    from bot.listeners.commands import Asked


def hours_command(asked: Asked) -> Message:
    service, now = asked.services.work_hours, asked.services.clock.now()
    if not asked.parsed.argument:
        pattern, status = service.week(asked.who, asked.profile)
        return hours_message(pattern, status, now, saved=False)
    try:
        pattern, status = service.set_week(asked.who, asked.profile, asked.parsed.argument)
    except WorkPatternError as problem:  # quotes what the person typed: escaped when shown
        return hours_problem_message(str(problem))
    return hours_message(pattern, status, now, saved=True)
