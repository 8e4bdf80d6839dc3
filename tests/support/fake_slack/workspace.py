"""The fake Slack's one workspace: its members, channels, messages and views.

Not thread-safe on its own: `FakeSlack` holds its lock around every use.
"""

from __future__ import annotations

import copy
import itertools
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.support.fake_slack.wire import Body, Params

TEAM_ID = "T0001"
BOT_USER_ID = "UBOT"
BOT_ID = "B0001"
APP_ID = "A0001"


@dataclass
class FakeUser:
    """A workspace member, as users.info, dnd.info and users.getPresence show them."""

    id: str
    tz: str = "Europe/Berlin"
    # users.info tells it only when asked with include_locale. British English: the dates and
    # times English tests expect (Tue 24 Nov, 14:00); en-US would make them Tue, Nov 24, 2:00 PM.
    locale: str = "en-GB"
    team_id: str = TEAM_ID
    name: str = ""
    real_name: str = ""
    status_text: str = ""
    status_emoji: str = ""
    status_expiration: int = 0
    huddle_state: str = "default_unset"
    deleted: bool = False
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    is_restricted: bool = False
    dnd_enabled: bool = False
    next_dnd_start_ts: int = 1
    next_dnd_end_ts: int = 1
    presence: str = "active"  # or "away"

    def profile(self) -> Body:
        return {
            "real_name": self.real_name,
            "display_name": self.name,
            "status_text": self.status_text,
            "status_emoji": self.status_emoji,
            "status_expiration": self.status_expiration,
            "huddle_state": self.huddle_state,
            "huddle_state_expiration_ts": 0,
            "team": self.team_id,
        }

    def to_api(self, include_locale: bool = False) -> Body:
        now = datetime.now(ZoneInfo(self.tz))
        return ({"locale": self.locale} if include_locale else {}) | {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name or self.id.lower(),
            "real_name": self.real_name,
            "deleted": self.deleted,
            "tz": self.tz,
            "tz_label": now.tzname(),
            "tz_offset": int(now.utcoffset().total_seconds()),
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_bot": self.is_bot,
            "is_restricted": self.is_restricted,
            "is_app_user": False,
            "profile": self.profile(),
        }


def channel_id(channel: str) -> str:
    """Where a post to `channel` lands: a user id (`U…`, or `W…` in Enterprise Grid) means that
    user's DM channel."""
    return "D" + channel[1:] if channel.startswith(("U", "W")) else channel


def message_fields(params: Params) -> Body:
    fields = ("text", "blocks", "attachments", "metadata")
    return {name: copy.deepcopy(params[name]) for name in fields if name in params}


NOWHERE = "wss://wss-primary.slack.invalid/link/?ticket=fake"


class Workspace:
    """Members, channels (DMs exist for every user id), messages per channel, views, the
    teams that the next OAuth installs go to, and where Socket Mode connections go."""

    def __init__(self) -> None:
        self.users: dict[str, FakeUser] = {}
        self.channels: dict[str, Body] = {}
        self.messages: defaultdict[str, list[Body]] = defaultdict(list)
        self.views: dict[str, Body] = {}
        self.homes: dict[str, str] = {}  # user id → id of the Home tab view published for them
        self.install_teams: deque[str] = deque()  # T… a workspace, E… an org, org-wide
        self.org_of_team: dict[str, str] = {}  # the Enterprise Grid org of each team in one
        self.rotating_tokens = False  # when True, installs hand out expiring tokens
        self.socket_mode_url: Callable[[], str] = lambda: NOWHERE  # a new URL per connection
        self.serials = itertools.count(1)
        self.origin = ""  # where the fake is served, for the upload URLs it hands out
        self.files: dict[str, Body] = {}  # file id → name, title, content, channel
        self._last_ts = 0

    def add_user(self, user: FakeUser) -> None:
        self.users[user.id] = user

    def update_user(self, user_id: str, **changes: Any) -> FakeUser:
        if user_id not in self.users:
            raise KeyError(f"unknown user {user_id}: add_user() first")
        self.users[user_id] = replace(self.users[user_id], **changes)
        return self.users[user_id]

    def add_channel(
        self, channel_id: str, name: str, is_member: bool, is_private: bool = False
    ) -> None:
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "is_channel": not is_private,
            "is_group": is_private,
            "is_private": is_private,
            "is_im": False,
            "is_mpim": False,
            "is_member": is_member,
        }

    def channel(self, channel_id: str) -> Body | None:
        if channel_id.startswith("D"):
            user_id = "U" + channel_id[1:]
            return {"id": channel_id, "is_im": True, "user": user_id, "is_member": True}
        return self.channels.get(channel_id)

    def access_error(self, channel_id: str) -> str | None:
        """Why the bot may not read or post in the channel, if it may not."""
        channel = self.visible_channel(channel_id)
        if channel is None:
            return "channel_not_found"
        return None if channel["is_member"] else "not_in_channel"

    def visible_channel(self, channel_id: str) -> Body | None:
        """The channel as the bot sees it: a private channel it is not in is not found."""
        channel = self.channel(channel_id)
        if channel is None or (channel.get("is_private") and not channel["is_member"]):
            return None
        return channel

    def new_message(self, params: Params) -> Body:
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": "",
            "ts": self.next_ts(),
        }
        message.update(message_fields(params))
        if "thread_ts" in params:
            message["thread_ts"] = params["thread_ts"]
        return message

    def next_ts(self) -> str:
        """A message ts: the current time in microseconds, strictly increasing."""
        self._last_ts = max(time.time_ns() // 1000, self._last_ts + 1)
        seconds, micros = divmod(self._last_ts, 1_000_000)
        return f"{seconds}.{micros:06d}"

    def find_message(self, channel: str, ts: str | None) -> Body | None:
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)

    def store_view(self, view: Body, view_id: str | None) -> Body:
        serial = next(self.serials)
        stored = copy.deepcopy(view) | {
            "id": view_id or f"V{serial:06d}",
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "hash": f"{serial}.fakehash",
            "state": {"values": {}},
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
        }
        self.views[stored["id"]] = stored
        return stored

    def home(self, user_id: str) -> Body | None:
        view_id = self.homes.get(user_id)
        return copy.deepcopy(self.views[view_id]) if view_id else None
