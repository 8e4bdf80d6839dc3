"""Every request is answered in the language of the person behind it.

`SpeakTheirLanguage` reads it (one indexed read) and runs the rest of the request inside
`speaking(...)`. Bolt runs listeners on its own threads after the ack; a context variable does
not cross into another thread by itself, so the App's listener executor is a
`ContextCopyingExecutor`, which runs each listener in a copy of the context that submitted it —
the language included.
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

from bot.domain.i18n import speaking
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
        who = person_of(mapping(req.body))
        if not who.user_id:
            return next()
        try:
            language, locale = self._people.speech_of(who)
        except SQLAlchemyError as error:  # the listener will meet the database's trouble itself
            logger.warning("Language of %s not read: %s", who.user_id, error)
            return next()
        with speaking(language, locale):
            return next()
