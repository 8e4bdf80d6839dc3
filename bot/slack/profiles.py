"""Asking Slack about one person (`users.info`, `dnd.info`), only when a use case needs it."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.errors import error_code

logger = logging.getLogger(__name__)

_NOT_ASKED: Any = object()


@dataclass(eq=False)
class ClientProfile:
    """`SlackProfile` over the Web API for one request: each method is called at most once, its
    answer kept on the instance (and freed with it — no process-wide cache)."""

    client: WebClient
    user_id: str
    _user: dict[str, Any] | None = field(default=_NOT_ASKED, init=False, repr=False)
    _dnd: dict[str, Any] | None = field(default=_NOT_ASKED, init=False, repr=False)

    def user(self) -> dict[str, Any] | None:
        if self._user is _NOT_ASKED:
            self._user = self._ask(
                "users.info",
                lambda: self.client.users_info(user=self.user_id, include_locale=True)["user"],
            )
        return self._user

    def dnd(self) -> dict[str, Any] | None:
        if self._dnd is _NOT_ASKED:
            self._dnd = self._ask("dnd.info", lambda: self.client.dnd_info(user=self.user_id).data)
        return self._dnd

    def _ask(self, method: str, call: Any) -> dict[str, Any] | None:
        try:
            return call()
        except SlackApiError as error:
            logger.warning("%s for %s failed: %s", method, self.user_id, error_code(error) or error)
            return None


# The profile a request already asked Slack for (the language middleware does, for someone the
# app has no row for), so that its listener does not ask again. Set for every request.
_of_this_request: ContextVar[ClientProfile | None] = ContextVar("profile_of_request", default=None)


def begin_request(profile: ClientProfile | None) -> None:
    """What `profile_of` may reuse for the rest of this request (None: nothing)."""
    _of_this_request.set(profile)


def profile_of(client: WebClient, user_id: str) -> ClientProfile:
    """`user_id`'s profile for this request: the one asked already, else a new one."""
    known = _of_this_request.get()
    if known is not None and known.user_id == user_id and known.client is client:
        return known
    return ClientProfile(client, user_id)


@dataclass(eq=False)
class ProfileLater:
    """`SlackProfile` for a request that must not wait on Slack before its ack (a Done in a click
    storm): it answers nothing, and remembers whether a use case asked — someone met for the
    first time, whose row was then made with the defaults (time zone UTC). The caller fetches
    the profile after the ack (`bot.services.people.PeopleService.user_changed`)."""

    asked: bool = field(default=False, init=False)

    def user(self) -> dict[str, Any] | None:
        self.asked = True
        return None

    def dnd(self) -> dict[str, Any] | None:
        self.asked = True
        return None
