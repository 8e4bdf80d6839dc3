"""Suggesting exercises and recording Done — the `/stretch` use cases."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.content import Exercise, Library
from bot.picker import pick
from bot.services.completions import count_done_today, record_completion
from bot.services.people import SlackUser, ensure_person, find_person


@dataclass(frozen=True)
class CompletionResult:
    exercise: Exercise
    done_today: int
    newly_recorded: bool


class StretchService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        library: Library,
        rng: random.Random | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.library = library
        self._rng = rng or random.Random()

    def suggest(self, who: SlackUser, avoid: str | None = None) -> Exercise:
        """An exercise for the person's usual place (office until they say otherwise)."""
        with self._sessions() as session:
            person = find_person(session, who)
            place = person.place if person else "office"
        candidates = self.library.by_place(place) or list(self.library.exercises)
        return pick(candidates, self._rng, avoid=[e for e in candidates if e.id == avoid])

    def find(self, exercise_id: str) -> Exercise | None:
        return self.library.exercise(exercise_id)

    def complete(
        self,
        who: SlackUser,
        exercise: Exercise,
        card: str,
        source: str,
        lookup_tz: Callable[[], str | None],
    ) -> CompletionResult:
        """Record Done once per card, however many times it is clicked or retried."""
        now = self._clock.now()
        with self._sessions.begin() as session:
            person = ensure_person(session, who, now, lookup_tz)
            new = record_completion(
                session, person, exercise.id, source, dedupe_key=f"{source}:{card}", at=now
            )
            done_today = count_done_today(session, person, now)
        return CompletionResult(exercise, done_today, new)
