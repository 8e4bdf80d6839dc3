"""Every request is answered in the language of the person behind it.

`SpeakTheirLanguage` reads it (one indexed read) and speaks it from then on in the thread that
dispatches the request. Not in a `with speaking(...)` block: Bolt runs the listeners after every
middleware has returned (a middleware's `next()` only lets the request through), so the language
must outlive the middleware. Every request sets it, English for requests from no one, so none
inherits the language of the request its thread served before.

Bolt runs listeners on its own threads; a context variable does not cross into another thread
by itself, so the App's listener executor is a `ContextCopyingExecutor`, which runs each
listener in a copy of the context that submitted it — the language included.

Someone the app keeps no row for has no stored locale. Unless the request is a click (acked
before anything waits on Slack: a challenge's click storm), Slack is asked (`users.info` with
`include_locale`), once per process — the answer is kept in `NewcomerLocales` — and the profile
asked is the one the request's listener reads (`bot.slack.profiles.profile_of`), so a first
contact that creates their row does not ask twice. A newcomer's click speaks the workspace's
language until their profile is fetched after the ack.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from sqlalchemy.exc import SQLAlchemyError

from bot.db.availability import slack_locale
from bot.domain.i18n import speak_from_now
from bot.domain.people import SlackUser
from bot.listeners.identity import person_of
from bot.listeners.payloads import mapping
from bot.slack.profiles import ClientProfile, begin_request

if TYPE_CHECKING:
    from bot.services.people import PeopleService

logger = logging.getLogger(__name__)


class ContextCopyingExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks run in a copy of the submitter's context variables."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


class NewcomerLocales:
    """The Slack locales of people the app keeps no row for, as Slack gave them, the most
    recently used `MAX_SIZE` of them: such a person's every request would otherwise wait on
    `users.info` before its ack."""

    MAX_SIZE = 10_000

    def __init__(self) -> None:
        self._known: OrderedDict[SlackUser, str | None] = OrderedDict()
        self._lock = threading.Lock()

    def locale(self, who: SlackUser, profile: ClientProfile) -> str | None:
        with self._lock:
            if who in self._known:
                self._known.move_to_end(who)
                return self._known[who]
        try:
            user = profile.user()
        except (SlackClientError, OSError) as error:  # no answer: speak the default this time
            logger.warning("users.info for %s failed: %s", who.user_id, error)
            return None
        locale = slack_locale(user or {})
        if user is not None:  # Slack answered: keep it (a failure is asked again next time)
            with self._lock:
                self._known[who] = locale
                if len(self._known) > self.MAX_SIZE:
                    self._known.popitem(last=False)
        return locale


class SpeakTheirLanguage(Middleware):
    """Speaks the language of whoever sent the request for the rest of it (English for requests
    from no one, such as Slack's url_verification)."""

    def __init__(self, people: PeopleService) -> None:
        self._people = people
        self._newcomers = NewcomerLocales()

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        begin_request(None)
        body = mapping(req.body)
        # A click must not wait on Slack before its ack (a challenge's click storm): someone
        # never met is answered in the workspace's language until their profile is fetched.
        client = None if body.get("type") == "block_actions" else req.context.client
        speak_from_now(*self._speech(person_of(body), client))
        return next()

    def _speech(self, who: SlackUser, client: WebClient | None) -> tuple[str | None, str | None]:
        if not who.user_id:
            return None, None
        try:
            return self._people.speech_of(who, lambda: self._newcomer_locale(who, client))
        except SQLAlchemyError as error:  # the listener will meet the database's trouble itself
            logger.warning("Language of %s not read: %s", who.user_id, error)
            return None, None

    def _newcomer_locale(self, who: SlackUser, client: WebClient | None) -> str | None:
        if client is None:
            return None
        profile = ClientProfile(client, who.user_id)
        begin_request(profile)  # the listener reads this one: Slack is asked once
        return self._newcomers.locale(who, profile)
