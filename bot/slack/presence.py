"""Asking Slack whether someone is at their desk (`users.getPresence`), within its rate.

`users.getPresence` is Tier 3 (about 50 a minute per workspace). Each workspace gets a sliding
window of calls in this process; a check that would overrun it is not made, and reads as
unknown — like a check Slack refused or did not answer — so the nudge goes out (see
`bot.domain.presence`).
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.domain.clock import Clock
from bot.domain.presence import PRESENCE_CALLS_PER_MINUTE, CallWindow
from bot.slack.errors import error_code

logger = logging.getLogger(__name__)


class PresenceChecks:
    def __init__(self, clock: Clock, per_minute: int = PRESENCE_CALLS_PER_MINUTE) -> None:
        self._clock = clock
        self._windows: defaultdict[int, CallWindow] = defaultdict(lambda: CallWindow(per_minute))
        self._lock = threading.Lock()

    def presence(self, client: WebClient, workspace_id: int, user_id: str) -> str | None:
        """ "active" or "away"; None when it is not known (not asked, refused or failed)."""
        with self._lock:
            if not self._windows[workspace_id].take(self._clock.now()):
                logger.info("users.getPresence budget spent for workspace %s", workspace_id)
                return None
        try:
            answer = client.users_getPresence(user=user_id)
        except (SlackApiError, SlackClientError, OSError) as error:  # 429, 5xx, network
            code = error_code(error) if isinstance(error, SlackApiError) else ""
            logger.warning("users.getPresence for %s failed: %s", user_id, code or error)
            return None
        presence = answer.get("presence")
        return presence if isinstance(presence, str) else None
