"""How a `WorkPattern` is written in the database: `Person.work_pattern` and the workspace
defaults' `WorkspaceDefaultsRow.work_pattern` hold the same text."""

from __future__ import annotations

from bot.domain.hours_text import parse_windows
from bot.domain.work_pattern import WorkPattern, format_windows


def stored_pattern(pattern: WorkPattern) -> str:
    """``"09:00-17:00;09:00-12:30,13:30-17:00;…"``: each weekday's windows, Monday first, an
    empty entry for a day off."""
    return ";".join(format_windows(windows, separator=",") for windows in pattern.days)


def pattern_from_stored(text: str) -> WorkPattern:
    return WorkPattern(tuple(parse_windows(day) for day in text.split(";")))
