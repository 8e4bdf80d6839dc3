"""Is this person free for a nudge right now? Pure: decides from cached Slack state.

The cache is filled by `dnd.info` / `users.info` and kept fresh by the `dnd_updated_user` and
`user_change` events. A bot cannot see a manual DND snooze — only the scheduled DND window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.i18n import N_

# Calendar apps set these while you are in a meeting; people set the others when away.
MEETING_EMOJI = {
    ":spiral_calendar_pad:",
    ":calendar:",
    ":date:",
    ":telephone_receiver:",
    ":headphones:",
    ":speech_balloon:",
    ":video_camera:",
}
AWAY_EMOJI = {
    ":palm_tree:",
    ":airplane:",
    ":face_with_thermometer:",
    ":beach_with_umbrella:",
    ":house_with_garden:",
    ":baby:",
    ":hospital:",
}
MEETING_WORDS = re.compile(r"\b(meeting|call|interview|presenting|in a meet|on a call)\b", re.I)
AWAY_WORDS = re.compile(
    r"\b(vacation(ing)?|holiday|out of (the )?office|ooo|pto|off sick|sick|on leave|"
    r"parental leave|away)\b",
    re.I,
)
# When Slack does not say how long someone is busy, look again after this long.
RECHECK_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Availability:
    dnd_start: datetime | None = None
    dnd_end: datetime | None = None
    status_text: str = ""
    status_emoji: str = ""
    status_expiration: datetime | None = None  # None: the status does not expire
    in_huddle: bool = False


@dataclass(frozen=True)
class Busy:
    reason: str  # English, stored in nudge notes and logs; a person reads `_(reason)`
    until: datetime | None  # None: unknown; ask again later
    away: bool = False  # out of office / vacation: no point holding for today


def busy(availability: Availability, now: datetime) -> Busy | None:
    """Why the person should not be nudged now, or None if they are free."""
    a = availability
    if a.dnd_start and a.dnd_end and a.dnd_start <= now < a.dnd_end:
        return Busy(N_("Do Not Disturb"), a.dnd_end)
    status_live = a.status_expiration is None or now < a.status_expiration
    if status_live and (a.status_emoji in AWAY_EMOJI or AWAY_WORDS.search(a.status_text)):
        return Busy(N_("out of office"), a.status_expiration, away=True)
    if status_live and (a.status_emoji in MEETING_EMOJI or MEETING_WORDS.search(a.status_text)):
        return Busy(N_("in a meeting"), a.status_expiration)
    if a.in_huddle:
        return Busy(N_("in a huddle"), None)
    return None


def hold_until(reason: Busy, now: datetime) -> datetime:
    """When to look again: when the busy spell ends if known, else after `RECHECK_AFTER`."""
    return reason.until if reason.until and reason.until > now else now + RECHECK_AFTER
