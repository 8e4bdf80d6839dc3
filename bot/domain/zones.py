"""IANA time zone names, as Slack sends them in `user.tz`."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def valid_zone(name: object) -> str | None:
    """The zone name if zoneinfo knows it, else None (for anything that is not one)."""
    if not name or not isinstance(name, str):
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name
