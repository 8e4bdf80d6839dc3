"""Suggesting exercises and recording Done — the `/stretch` use cases."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.db.completions import count_done_today, record_completion
from bot.db.nudges import own_nudge, record_nudge_outcome
from bot.db.people import ensure_person, find_person
from bot.db.team_library import WorkspaceLibraries
from bot.domain.cards import nudge_id_of
from bot.domain.clock import Clock
from bot.domain.content import Activity, Exercise, Library, Place
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.picker import pick
from bot.domain.preferences import Preferences


@dataclass(frozen=True)
class Asker:
    """What answering `/stretch` needs to know about the person asking, from one lookup: where
    they stretch, and whether to offer reminders (someone new, or with reminders off)."""

    place: Place
    offer_reminders: bool


@dataclass(frozen=True)
class CompletionResult:
    activity: Activity
    done_today: int
    newly_recorded: bool


class StretchService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        libraries: WorkspaceLibraries,
        defaults: Preferences,
        rng: random.Random | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.libraries = libraries
        self._defaults = defaults
        self._rng = rng or random.Random()

    def asker(self, who: SlackUser) -> Asker:
        with self._sessions() as session:
            person = find_person(session, who)
            if person is None:
                return Asker(self._defaults.place, offer_reminders=True)
            return Asker(person.place, offer_reminders=not person.reminders_on)

    def library(self, who: SlackUser) -> Library:
        """The library of the person's workspace: the seed, less what it hid, plus its own."""
        return self.libraries.of_user(who)

    def suggest(self, who: SlackUser, avoid: str | None = None) -> Exercise:
        """An exercise for the person's usual place (office until they say otherwise)."""
        return self.suggest_for(who, self.asker(who).place, avoid)

    def suggest_for(self, who: SlackUser, place: Place, avoid: str | None = None) -> Exercise:
        """An exercise of the person's workspace for `place`, other than `avoid` if there is a
        choice."""
        library = self.library(who)
        candidates = library.by_place(place) or list(library.exercises)
        return pick(candidates, self._rng, avoid=[e for e in candidates if e.id == avoid])

    def find(self, who: SlackUser, activity_id: str) -> Activity | None:
        """An exercise of the person's workspace, or a movement break (nudges send those too)."""
        library = self.library(who)
        return library.exercise(activity_id) or library.tip(activity_id)

    def complete(
        self, who: SlackUser, activity: Activity, card: str, source: str, profile: SlackProfile
    ) -> CompletionResult | None:
        """Record Done once per card and person, however many times it is clicked or retried.
        None for a nudge's Done clicked by someone else than its owner (a replayed button
        value), as Snooze and Skip: nobody answers someone else's nudge."""
        now = self._clock.now()
        with self._sessions.begin() as session:
            if source == "nudge":
                owned = own_nudge(session, who, nudge_id_of(card) or 0)
                if owned is None:
                    return None
                person, nudge = owned
                record_nudge_outcome(session, person, nudge.id, "done", now)
            else:
                person = ensure_person(session, who, now, profile, self._defaults)
            new = record_completion(session, person, activity.id, source, card, now)
            done_today = count_done_today(session, person, now)
        return CompletionResult(activity, done_today, new)
