"""Undo: take back a Skip on a nudge, or a Done (or "I moved anyway") on a card or nudge, within
a minute (`bot.domain.undo`). Only the person who answered can take it back: everything is looked
up under the clicking person, so a forged or replayed button value finds nothing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.db.completions import completion_of
from bot.db.models import Nudge, Person
from bot.db.nudges import own_nudge
from bot.db.people import find_person
from bot.db.undo import reopen_nudge
from bot.domain.cards import nudge_card, nudge_id_of
from bot.domain.content import Activity, Library
from bot.domain.people import SlackUser
from bot.domain.undo import (
    UNDOABLE_SOURCES,
    Restored,
    Undone,
    matches_stamp,
    within_undo_window,
)
from bot.services.use_cases import UseCases

NOTHING = (Undone.NOTHING, None)
TOO_LATE = (Undone.TOO_LATE, None)


class UndoService(UseCases):
    def undo_skip(
        self, who: SlackUser, nudge_id: int, skipped: object
    ) -> tuple[Undone, Restored | None]:
        """Take back the Skip recorded at `skipped` (the Undo button's stamp)."""
        now = self._clock.now()
        with self._sessions.begin() as session:
            owned = own_nudge(session, who, nudge_id)
            if owned is None:
                return NOTHING
            person, nudge = owned
            if nudge.outcome != "skipped" or not matches_stamp(nudge.outcome_at, skipped):
                return NOTHING
            if not within_undo_window(nudge.outcome_at, now):
                return TOO_LATE
            library = self._libraries.of_workspace(person.workspace_id, session)
            activity = _activity_of(library, nudge)
            if activity is None or not reopen_nudge(session, nudge, "skipped"):
                return NOTHING
            return Undone.UNDONE, _restored_nudge(nudge, person, activity)

    def undo_done(
        self, who: SlackUser, source: str, card: str, done: object
    ) -> tuple[Undone, Restored | None]:
        """Take back the Done on `card` recorded at `done` (the Undo button's stamp): the
        completion is deleted, and a nudge it answered is unanswered again."""
        if source not in UNDOABLE_SOURCES:
            return NOTHING
        now = self._clock.now()
        with self._sessions.begin() as session:
            person = find_person(session, who)
            completion = completion_of(session, person, source, card) if person else None
            if person is None or completion is None:
                return NOTHING
            if not matches_stamp(completion.completed_at, done):
                return NOTHING
            if not within_undo_window(completion.completed_at, now):
                return TOO_LATE
            nudge = _own_nudge_of(session, person, card)
            library = self._libraries.of_workspace(person.workspace_id, session)
            activity = _library_activity(library, completion.exercise_id) or (
                _activity_of(library, nudge) if nudge else None
            )
            if activity is None:
                return NOTHING  # a self-reported break that no message showed
            session.delete(completion)
            if nudge is None:
                return Undone.UNDONE, Restored(activity, card, source, not person.reminders_on)
            reopen_nudge(session, nudge, "done")
            return Undone.UNDONE, _restored_nudge(nudge, person, activity)


def _activity_of(library: Library, nudge: Nudge) -> Activity | None:
    return _library_activity(library, nudge.exercise_id or nudge.tip_id or "")


def _library_activity(library: Library, activity_id: str) -> Activity | None:
    """In the person's workspace library: a team exercise can be undone too."""
    return library.exercise(activity_id) or library.tip(activity_id)


def _own_nudge_of(session: Session, person: Person, card: str) -> Nudge | None:
    nudge_id = nudge_id_of(card)
    nudge = session.get(Nudge, nudge_id) if nudge_id else None
    return nudge if nudge is not None and nudge.person_id == person.id else None


def _restored_nudge(nudge: Nudge, person: Person, activity: Activity) -> Restored:
    return Restored(
        activity,
        nudge_card(nudge.id),
        "nudge",
        nudge_id=nudge.id,
        snoozed=nudge.kind == "snooze",
        backoff_interval=2 * person.interval_minutes if nudge.backoff_notice else None,
    )
