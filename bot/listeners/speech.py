"""Every request is answered in the language of the person behind it.

`SpeakTheirLanguage` reads it (one indexed read) and speaks it from then on in the thread that
dispatches the request. Not in a `with speaking(...)` block: Bolt runs the listeners after every
middleware has returned (a middleware's `next()` only lets the request through), so the language
must outlive the middleware. Every request sets it, English for requests from no one, so none
inherits the language of the request its thread served before.

Bolt runs listeners on its own threads; a context variable does not cross into another thread
by itself, so the App's listener executor is a `ContextCopyingExecutor`, which runs each
listener in a copy of the context that submitted it — the language included.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from sqlalchemy.exc import SQLAlchemyError

from bot.domain.i18n import speak_from_now
from bot.domain.people import SlackUser
from bot.listeners.identity import person_of
from bot.listeners.payloads import mapping

if TYPE_CHECKING:
    from bot.services.people import PeopleService

logger = logging.getLogger(__name__)


class ContextCopyingExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks run in a copy of the submitter's context variables."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


class SpeakTheirLanguage(Middleware):
    """Runs the request in the language of whoever sent it (English for requests from no one,
    such as Slack's url_verification)."""

    def __init__(self, people: PeopleService) -> None:
        self._people = people

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        speak_from_now(*self._speech(person_of(mapping(req.body))))
        return next()

    def _speech(self, who: SlackUser) -> tuple[str | None, str | None]:
        if not who.user_id:
            return None, None
        try:
            return self._people.speech_of(who)
        except SQLAlchemyError as error:  # the listener will meet the database's trouble itself
            logger.warning("Language of %s not read: %s", who.user_id, error)
            return None, None
