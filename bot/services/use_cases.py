"""What every use-case class shares: the database, the clock, the content, and the defaults a
person starts with when the app meets them."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Person
from bot.db.people import ensure_person
from bot.db.team_library import WorkspaceLibraries
from bot.domain.clock import Clock
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.preferences import Preferences


class UseCases:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        libraries: WorkspaceLibraries,
        defaults: Preferences,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._libraries = libraries
        self._defaults = defaults

    def _person(self, session: Session, who: SlackUser, profile: SlackProfile) -> Person:
        """The person behind a request, created on first contact."""
        return ensure_person(session, who, self._clock.now(), profile, self._defaults)
