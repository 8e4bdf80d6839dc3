"""Who someone is to the app (workspace, Grid org, user id) and what Slack can tell about them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class SlackUser:
    """Who a request came from: their own workspace (and Enterprise Grid org) and their user id
    (read by `bot.listeners.identity.person_of`). In Grid the org and user id alone name the
    person: the id is the same in every workspace of the org."""

    team_id: str
    user_id: str
    enterprise_id: str = ""


class SlackProfile(Protocol):
    """What Slack says about one person; each call may hit the Web API, so call it when needed.
    Both return None when Slack refuses."""

    def user(self) -> dict[str, Any] | None: ...

    def dnd(self) -> dict[str, Any] | None: ...
