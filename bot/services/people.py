"""Find or create the workspace and person behind a Slack request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.db.availability import apply_dnd, apply_user
from bot.db.languages import choice_of, workspace_language_of
from bot.db.nudges import release_held
from bot.db.people import find_person, plan_weekly_summary, replan
from bot.domain.clock import Clock
from bot.domain.languages import LanguageChoice, effective_language
from bot.domain.people import SlackUser


class PeopleService:
    """Keeping what we know about people in step with Slack's events."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def user_changed(self, who: SlackUser, user: dict[str, Any]) -> int:
        """`user_change`: time zone, status, huddle — and the nudges they no longer hold back.
        Returns how many rows were updated (0 for someone who never used the app)."""
        with self._sessions.begin() as session:
            person = find_person(session, who)
            if person is None:
                return 0
            zone_before = person.zone_name
            apply_user(person, user, self._clock.now())
            if person.zone_name != zone_before:  # moved: the same wall times, a new zone
                replan(person, self._clock.now())
                plan_weekly_summary(person, self._clock.now())
            release_held(session, person, self._clock.now())
        return 1

    def speech_of(
        self, who: SlackUser, newcomer_locale: Callable[[], str | None]
    ) -> tuple[str, str | None]:
        """The language to speak to `who` in and their Slack locale (which formats dates and
        times): one indexed read, made for every request before its listener runs. For someone
        the app keeps no row for (who never turned anything on, or asked to be forgotten),
        `newcomer_locale` asks Slack, and the workspace's default is a second read."""
        with self._sessions() as session:
            choice = choice_of(session, who)
            default = workspace_language_of(session, who) if choice is None else None
        if choice is None:  # Slack is asked with no database connection held
            choice = LanguageChoice(None, newcomer_locale(), default)
        return effective_language(choice), choice.slack_locale

    def dnd_changed(self, who: SlackUser, dnd_status: dict[str, Any]) -> int:
        """`dnd_updated_user`: the person's scheduled Do-Not-Disturb window — and the nudges it no
        longer holds back."""
        with self._sessions.begin() as session:
            person = find_person(session, who)
            if person is None:
                return 0
            apply_dnd(person, dnd_status, self._clock.now())
            release_held(session, person, self._clock.now())
        return 1
