"""Reading the few things listeners need out of Slack payloads, defensively, and asking Slack
about a person only when a use case needs it."""

from __future__ import annotations

import functools
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.people import SlackUser

logger = logging.getLogger(__name__)


def mapping(value: object) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one: payload fields are not trusted."""
    return value if isinstance(value, dict) else {}


def text(value: object) -> str:
    return value if isinstance(value, str) else ""


def user_from_command(command: dict[str, Any]) -> SlackUser:
    return SlackUser(
        team_id=command.get("team_id", ""),
        user_id=command.get("user_id", ""),
        enterprise_id=command.get("enterprise_id") or "",
    )


def user_from_interaction(body: dict[str, Any]) -> SlackUser:
    """The clicking user of a block action or view submission."""
    user, team = mapping(body.get("user")), mapping(body.get("team"))
    return SlackUser(
        team_id=text(team.get("id")) or text(user.get("team_id")),
        user_id=text(user.get("id")),
        enterprise_id=text(mapping(body.get("enterprise")).get("id")),
    )


class ClientProfile:
    """`SlackProfile` over the Web API: `users.info` and `dnd.info`, each called at most once."""

    def __init__(self, client: WebClient, user_id: str) -> None:
        self._client = client
        self._user_id = user_id

    @functools.cache  # noqa: B019 — one short-lived instance per request
    def user(self) -> dict[str, Any] | None:
        try:
            return self._client.users_info(user=self._user_id)["user"]
        except SlackApiError as error:
            logger.warning(
                "users.info for %s failed: %s",
                self._user_id,
                error.response.get("error") if error.response else error,
            )
            return None

    @functools.cache  # noqa: B019
    def dnd(self) -> dict[str, Any] | None:
        try:
            return self._client.dnd_info(user=self._user_id).data
        except SlackApiError as error:
            logger.warning(
                "dnd.info for %s failed: %s",
                self._user_id,
                error.response.get("error") if error.response else error,
            )
            return None
