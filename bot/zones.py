"""IANA time zone names, as Slack sends them in `user.tz`."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def valid_zone(name: str | None) -> str | None:
    """The zone name if zoneinfo knows it, else None."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name
