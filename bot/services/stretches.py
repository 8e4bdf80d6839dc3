"""Suggesting exercises and recording Done — the `/stretch` use cases."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.db.completions import completion_of, count_done_today, record_completion
from bot.db.fit import fit_of
from bot.db.nudges import own_nudge, record_nudge_outcome
from bot.db.people import ensure_person, find_person
from bot.db.team_library import WorkspaceLibraries
from bot.domain.cards import nudge_id_of
from bot.domain.clock import Clock
from bot.domain.content import Activity, Library, Place
from bot.domain.fit import Choice, Fit, choose
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.preferences import Preferences


@dataclass(frozen=True)
class Asker:
    """What answering `/stretch` needs to know about the person asking, from one lookup: where
    they stretch, whether to offer reminders (someone new, or with reminders off), and what
    suits them."""

    place: Place
    offer_reminders: bool
    fit: Fit


@dataclass(frozen=True)
class CompletionResult:
    activity: Activity
    done_today: int
    newly_recorded: bool
    completed_at: datetime  # as recorded by the first click: what an Undo takes back


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
                place = self._defaults.place
                return Asker(place, offer_reminders=True, fit=Fit(place))
            fit = fit_of(session, person)
            return Asker(person.place, offer_reminders=not person.reminders_on, fit=fit)

    def library(self, who: SlackUser) -> Library:
        """The library of the person's workspace: the seed, less what it hid, plus its own."""
        return self.libraries.of_user(who)

    def suggest(self, who: SlackUser, avoid: str | None = None) -> Choice | None:
        """Something of the person's workspace that suits them at their usual place (office
        until they say otherwise); None when they ruled out everything."""
        return self.suggest_for(who, self.asker(who).fit, avoid)

    def suggest_for(self, who: SlackUser, fit: Fit, avoid: str | None = None) -> Choice | None:
        """Something of the person's workspace that fits, other than `avoid` if there is a
        choice: team exercises go through the same fit rules as the seed ones."""
        return choose(self.library(who), fit, self._rng, avoid=[avoid] if avoid else ())

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
            recorded = None if new else completion_of(session, person, source, card)
            completed_at = recorded.completed_at if recorded else now
        return CompletionResult(activity, done_today, new, completed_at)
