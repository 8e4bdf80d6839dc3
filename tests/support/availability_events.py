"""Signed `user_change` and `dnd_updated_user` events that make a person busy or free: a meeting
status, a huddle, a Do-Not-Disturb window — and ways to wait until the app has taken them in."""

from __future__ import annotations

from datetime import datetime

from bot.bootstrap import Container
from bot.db.availability import availability_of
from bot.domain.availability import busy
from tests.support.reminder_helpers import person, wait_for
from tests.support.signed_requests import SlackSender

NO_STATUS = {"status_text": "", "status_emoji": "", "status_expiration": 0}


def meeting_until(end: datetime) -> dict:
    """The profile a calendar app sets for a meeting that ends at `end`."""
    return {
        "status_text": "In a meeting",
        "status_emoji": ":spiral_calendar_pad:",
        "status_expiration": int(end.timestamp()),
    }


def in_huddle(joined: bool) -> dict:
    return {"huddle_state": "in_a_huddle" if joined else "default_unset"}


def change_profile(slack: SlackSender, profile: dict, user: str = "U0001") -> None:
    reply = slack.event(
        {
            "type": "user_change",
            "event_ts": "1.0",
            "user": {"id": user, "team_id": "T0001", "tz": "Europe/Berlin", "profile": profile},
        }
    )
    assert reply.status == 200, reply.body


def change_dnd(slack: SlackSender, start: datetime, end: datetime, user: str = "U0001") -> None:
    """The scheduled DND window is now [start, end): one that ends early ends now."""
    reply = slack.event(
        {
            "type": "dnd_updated_user",
            "user": user,
            "event_ts": "1.0",
            "dnd_status": {
                "dnd_enabled": True,
                "next_dnd_start_ts": int(start.timestamp()),
                "next_dnd_end_ts": int(end.timestamp()),
            },
        }
    )
    assert reply.status == 200, reply.body


def wait_until_busy(container: Container, at: datetime, user: str = "U0001") -> None:
    wait_for(lambda: busy(availability_of(person(container, user)), at) is not None)


def wait_until_free(container: Container, at: datetime, user: str = "U0001") -> None:
    wait_for(lambda: busy(availability_of(person(container, user)), at) is None)
