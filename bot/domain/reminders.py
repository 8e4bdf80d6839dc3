"""Where a person's reminders stand, as the replies and the App Home show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.i18n import _, format_clock, weekday_names


@dataclass(frozen=True)
class ReminderStatus:
    """Where someone's reminders stand, in words and local times, for replies and the Home tab."""

    on: bool
    schedule: str  # "Weekdays 09:00–17:00 Europe/Berlin, every 60 minutes"
    next_at: datetime | None
    paused_until: datetime | None
    tz: str

    def next_local(self) -> str | None:
        return _local_clock(self.next_at, self.tz) if self.next_at else None


def _local_clock(at: datetime, tz: str) -> str:
    local = at.astimezone(ZoneInfo(tz))
    weekday = weekday_names("abbreviated")[local.weekday()]
    return _("{weekday} {time}", weekday=weekday, time=format_clock(local))
