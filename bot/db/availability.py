"""Copying what Slack tells us about a person (profile, status, huddle, DND window) onto their row.

Used both by the tick (after `users.info` / `dnd.info`) and by the `user_change` and
`dnd_updated_user` events, so the two paths can never read Slack differently.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.db.models import LOCALE_LENGTH, Person
from bot.domain.availability import Availability
from bot.domain.zones import valid_zone


def _instant(seconds: Any) -> datetime | None:
    """A Unix time from Slack as an instant; None for "none", and for anything that is not a
    time a calendar can hold (a status "until" 10¹², year 33658, means no expiry we can use)."""
    try:
        value = float(seconds)
        return datetime.fromtimestamp(value, UTC) if value > 0 else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def slack_locale(user: dict[str, Any]) -> str | None:
    """The user's Slack locale ("es-ES") if Slack said it and it fits the column, else None."""
    locale = user.get("locale")
    if isinstance(locale, str) and 0 < len(locale.strip()) <= LOCALE_LENGTH:
        return locale.strip()
    return None


def apply_user(person: Person, user: dict[str, Any], now: datetime) -> None:
    """From a `users.info` user or a `user_change` event's user."""
    zone = valid_zone(user.get("tz"))
    if zone:
        person.tz = zone
    locale = slack_locale(user)
    if locale:  # only users.info with include_locale says it; events leave it out
        person.slack_locale = locale
    profile = user.get("profile") or {}
    person.status_text = str(profile.get("status_text") or "")[:150]
    person.status_emoji = str(profile.get("status_emoji") or "")[:100]
    person.status_expiration = _instant(profile.get("status_expiration"))
    person.in_huddle = profile.get("huddle_state") == "in_a_huddle"
    if user.get("deleted"):
        person.deactivated_at = person.deactivated_at or now


def apply_dnd(person: Person, dnd: dict[str, Any], now: datetime) -> None:
    """From `dnd.info` or a `dnd_updated_user` event's `dnd_status`."""
    if dnd.get("dnd_enabled"):
        person.dnd_start = _instant(dnd.get("next_dnd_start_ts"))
        person.dnd_end = _instant(dnd.get("next_dnd_end_ts"))
    else:
        person.dnd_start = person.dnd_end = None
    person.availability_checked_at = now


def availability_of(person: Person) -> Availability:
    return Availability(
        dnd_start=person.dnd_start,
        dnd_end=person.dnd_end,
        status_text=person.status_text,
        status_emoji=person.status_emoji,
        status_expiration=person.status_expiration,
        in_huddle=person.in_huddle,
    )
