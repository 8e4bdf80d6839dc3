"""The language crosses into the threads that run listeners, and stays out of the ones that
were not handed it."""

from __future__ import annotations

from bot.domain.i18n import current_language, speaking
from bot.listeners.speech import ContextCopyingExecutor


def test_a_listener_thread_speaks_the_language_of_the_request_that_submitted_it() -> None:
    with ContextCopyingExecutor(1) as threads:
        with speaking("de"):
            german = threads.submit(current_language)
        with speaking("ja"):
            japanese = threads.submit(current_language)
        untouched = threads.submit(current_language)
        assert (german.result(), japanese.result(), untouched.result()) == ("de", "ja", "en")
