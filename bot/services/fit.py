"""What suits a person: restrictions in Settings, and More like this / Not for me on a card."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.db.fit import fit_of, mark_activity
from bot.db.models import Person
from bot.db.nudges import own_nudge
from bot.db.people import ensure_person
from bot.db.team_library import WorkspaceLibraries
from bot.domain.cards import nudge_id_of
from bot.domain.clock import Clock
from bot.domain.content import Activity
from bot.domain.fit import Choice, Restriction, choose, more_like
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.preferences import Preferences


@dataclass(frozen=True)
class FitSettings:
    """What the Settings modal shows: the restrictions, and what the person hid."""

    restrictions: frozenset[Restriction]
    hidden: tuple[Activity, ...]


@dataclass(frozen=True)
class Answered:
    """A card's More like this or Not for me, done: what to show in its place (None when
    nothing fits any more)."""

    choice: Choice | None


class FitService:
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
        self._libraries = libraries
        self._defaults = defaults
        self._rng = rng or random.Random()

    def settings(self, who: SlackUser, profile: SlackProfile) -> FitSettings:
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            fit = fit_of(session, person)
            library = self._libraries.of_workspace(person.workspace_id, session)
        hidden = [library.exercise(i) or library.tip(i) for i in sorted(fit.taste.hidden)]
        return FitSettings(fit.restrictions, tuple(a for a in hidden if a is not None))

    def more_like_this(
        self, who: SlackUser, profile: SlackProfile, activity: Activity, card: str, source: str
    ) -> Answered | None:
        """Count ``activity`` as liked and offer another that fits like it. None when the card
        is someone else's nudge (a replayed button value)."""
        with self._sessions.begin() as session:
            person = self._card_owner(session, who, profile, card, source)
            if person is None:
                return None
            mark_activity(session, person, activity.id, self._clock.now(), liked=True)
            fit = fit_of(session, person)
            library = self._libraries.of_workspace(person.workspace_id, session)
        return Answered(more_like(library, activity, fit, self._rng))

    def not_for_me(
        self, who: SlackUser, profile: SlackProfile, activity: Activity, card: str, source: str
    ) -> Answered | None:
        """Hide ``activity`` from the person from now on (again: no change) and offer something
        else that fits. None when the card is someone else's nudge."""
        with self._sessions.begin() as session:
            person = self._card_owner(session, who, profile, card, source)
            if person is None:
                return None
            mark_activity(session, person, activity.id, self._clock.now(), hidden=True)
            fit = fit_of(session, person)
            library = self._libraries.of_workspace(person.workspace_id, session)
        return Answered(choose(library, fit, self._rng, avoid=[activity.id]))

    def _card_owner(
        self, session: Session, who: SlackUser, profile: SlackProfile, card: str, source: str
    ) -> Person | None:
        """The clicker — unless the card is a nudge that is not theirs. A card shown on request
        is only ever seen by who asked, and feedback only changes the clicker's own rows."""
        if source == "nudge":
            owned = own_nudge(session, who, nudge_id_of(card) or 0)
            return owned[0] if owned else None
        return self._person(session, who, profile)

    def _person(self, session: Session, who: SlackUser, profile: SlackProfile) -> Person:
        return ensure_person(session, who, self._clock.now(), profile, self._defaults)
