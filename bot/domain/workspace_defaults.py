"""What a workspace's admin chose for everyone: the preferences new people start with, the
channels that may run challenges, and the daily cap on reminders.

Defaults apply when a person is first created; changing them never touches what anyone already
has. Until an admin saves, the environment's defaults (`DEFAULT_*`, `DAILY_NUDGE_CAP`) hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.holidays import HolidayRegion
from bot.domain.i18n import _, ngettext
from bot.domain.preferences import Preferences

# The workspace's daily cap on reminders, per person: bounded so that no admin can turn the app
# into a flood (more than every half hour of an 8-hour day) nor into silence.
NUDGE_CAP_CHOICES = range(1, 17)
MAX_CHALLENGE_CHANNELS = 100  # what a multi_conversations_select may hold


@dataclass(frozen=True)
class WorkspaceDefaults:
    """``new_people``: what a new person's Settings start as (each weekday's work hours,
    interval and place; the rest stays personal). ``challenge_channels``: channel ids where
    challenges may run; empty means any. ``daily_nudge_cap``: at most this many reminders a day
    for each person. ``holidays``: the public holidays of everyone who has not chosen their own
    (None: none), which `/stretch admin holidays` also sets. ``everyone_adds_exercises``: whether
    everyone, not only admins, may add to the team library (`/stretch library everyone on` sets it
    too). ``language``: the language of everyone who has not chosen one and whose Slack language
    the app does not speak, and of channel posts (None: English; see `bot.domain.languages`)."""

    new_people: Preferences
    daily_nudge_cap: int
    challenge_channels: frozenset[str] = frozenset()
    holidays: HolidayRegion | None = None
    everyone_adds_exercises: bool = False
    language: str | None = None

    def __post_init__(self) -> None:
        if self.daily_nudge_cap not in NUDGE_CAP_CHOICES:
            raise ValueError(
                _(
                    "The daily cap must be {least}–{most}.",
                    least=NUDGE_CAP_CHOICES[0],
                    most=NUDGE_CAP_CHOICES[-1],
                )
            )
        if len(self.challenge_channels) > MAX_CHALLENGE_CHANNELS:
            raise ValueError(
                ngettext(
                    "Choose at most {n} channel.",
                    "Choose at most {n} channels.",
                    MAX_CHALLENGE_CHANNELS,
                )
            )
        object.__setattr__(self, "challenge_channels", frozenset(self.challenge_channels))

    def allows_challenges_in(self, channel_id: str) -> bool:
        return channel_allowed(self.challenge_channels, channel_id)


def channel_allowed(chosen: frozenset[str], channel_id: str) -> bool:
    """Whether challenges (and group breaks) may run in ``channel_id`` when an admin chose the
    channels ``chosen`` (none chosen: any channel)."""
    return not chosen or channel_id in chosen


def bounded_cap(cap: int) -> int:
    """The environment's `DAILY_NUDGE_CAP` (1–48) brought into the range an admin can choose."""
    return min(max(cap, NUDGE_CAP_CHOICES[0]), NUDGE_CAP_CHOICES[-1])
