"""Helpers for tests through the app: waiting for its background work, opting in through Slack,
ticking at a moment, reading rows (and the SQL that reads them), finding posted nudges."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime

from sqlalchemy import event, func, select

from bot.bootstrap import Container
from bot.db.models import Completion, Nudge, Person
from tests.support.fake_slack import FakeSlack
from tests.support.signed_requests import SlackSender


def wait_for(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting")


def person(container: Container, user: str = "U0001") -> Person:
    with container.sessions() as session:
        found = session.scalar(select(Person).where(Person.slack_user_id == user))
        assert found is not None, f"no person {user}"
        return found


def nudges(container: Container, user: str = "U0001") -> list[Nudge]:
    with container.sessions() as session:
        return list(
            session.scalars(
                select(Nudge)
                .join(Person)
                .where(Person.slack_user_id == user)
                .order_by(Nudge.slot_at)
            )
        )


def opt_in(
    slack: SlackSender, fake: FakeSlack, user: str = "U0001", tz: str = "Europe/Berlin"
) -> dict:
    fake.add_user(user, tz=tz)
    reply = slack.command("on", user=user)
    assert reply.status == 200, reply.body
    return reply.json()


def posted_nudges(fake: FakeSlack, user: str = "U0001") -> list[dict]:
    return [
        message
        for message in fake.messages(user)
        if (message.get("metadata") or {}).get("event_type") == "stretch_nudge"
    ]


def nudge_id(message: dict) -> int:
    return message["metadata"]["event_payload"]["nudge_id"]


def run_tick_at(container: Container, clock, at: datetime):
    clock.set(at)
    return container.tick()


def completions(container: Container) -> int:
    with container.sessions() as session:
        return session.scalar(select(func.count()).select_from(Completion))


LANGUAGE_READ = "SELECT people.language, people.slack_locale"


@contextmanager
def _statements(container: Container, wanted: Callable[[str], bool]) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_connection, _cursor, statement: str, *_args) -> None:
        if wanted(statement):
            seen.append(statement)

    event.listen(container.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(container.engine, "before_cursor_execute", record)


def people_lookups(container: Container) -> AbstractContextManager[list[str]]:
    """The SELECTs of person rows from `people` that the app sends meanwhile. The language read
    that precedes every request (three columns, `bot.db.languages.choice_of`) is not one of them:
    `language_reads` counts those."""
    return _statements(
        container,
        lambda statement: (
            statement.startswith("SELECT")
            and "FROM people" in statement
            and not statement.startswith(LANGUAGE_READ)
        ),
    )


def language_reads(container: Container) -> AbstractContextManager[list[str]]:
    """The reads of a person's language (`bot.db.languages.choice_of`) sent meanwhile."""
    return _statements(container, lambda statement: statement.startswith(LANGUAGE_READ))
