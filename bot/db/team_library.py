"""A workspace's library in the database: its own exercises, the seed exercises it hid, who may
add, and each process's copy of every workspace's `Library`, rebuilt when it changes."""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import HiddenSeedExercise, TeamExercise, Workspace
from bot.db.writes import insert_if_absent
from bot.domain.content import Exercise, Library
from bot.domain.people import SlackUser
from bot.domain.team_library import TeamExercise as StoredExercise
from bot.domain.team_library import exercise_data, workspace_library

logger = logging.getLogger(__name__)

_VERSION_OF_TEAM = select(Workspace.id, Workspace.library_version).where(
    Workspace.team_id == bindparam("team_id"),
    Workspace.enterprise_id == bindparam("enterprise_id"),
)


class WorkspaceLibraries:
    """Each workspace's library: the seed, less what it hid, plus its own exercises. Built once
    per change and kept: a request costs one small query (the workspace's `library_version`),
    and a workspace that never changed its library gets the seed itself."""

    def __init__(self, seed: Library, sessions: sessionmaker[Session]) -> None:
        self.seed = seed
        self._sessions = sessions
        self._built: dict[int, tuple[int, Library]] = {}
        self._lock = threading.Lock()

    def of_user(self, who: SlackUser) -> Library:
        """The library of the workspace `who` belongs to (the seed for a workspace not met yet)."""
        with self._sessions() as session:
            row = session.execute(
                _VERSION_OF_TEAM, {"team_id": who.team_id, "enterprise_id": who.enterprise_id}
            ).first()
            return self.seed if row is None else self._current(session, row.id, row[1])

    def of_workspace(self, workspace_id: int, session: Session | None = None) -> Library:
        if session is None:
            with self._sessions() as own:
                return self.of_workspace(workspace_id, own)
        version = session.scalar(
            select(Workspace.library_version).where(Workspace.id == workspace_id)
        )
        return self._current(session, workspace_id, version or 0)

    def _current(self, session: Session, workspace_id: int, version: int) -> Library:
        if version == 0:
            return self.seed
        with self._lock:
            built = self._built.get(workspace_id)
        if built is not None and built[0] == version:
            return built[1]
        library = workspace_library(
            self.seed, hidden_seed_ids(session, workspace_id), team_exercises(session, workspace_id)
        )
        with self._lock:
            self._built[workspace_id] = (version, library)
        return library


def known_workspace_id(session: Session, who: SlackUser) -> int:
    """The workspace's row id, or 0, which matches no row, for one the app has not met: reading
    its library finds it empty, and reading creates nothing."""
    row = session.execute(
        _VERSION_OF_TEAM, {"team_id": who.team_id, "enterprise_id": who.enterprise_id}
    ).first()
    return 0 if row is None else row.id


def workspace_id_of(session: Session, who: SlackUser, now: datetime) -> int:
    """The workspace's row id, created on first contact (by a change to its library)."""
    values = {"team_id": who.team_id, "enterprise_id": who.enterprise_id, "created_at": now}
    insert_if_absent(session, Workspace, values, unique_on=["enterprise_id", "team_id"])
    workspace_id = session.scalar(
        select(Workspace.id).where(
            Workspace.team_id == who.team_id, Workspace.enterprise_id == who.enterprise_id
        )
    )
    assert workspace_id is not None
    return workspace_id


def library_changed(session: Session, workspace_id: int) -> None:
    """Every process rebuilds the workspace's library on its next use."""
    session.execute(
        update(Workspace)
        .where(Workspace.id == workspace_id)
        .values(library_version=Workspace.library_version + 1)
    )


def everyone_may_add(session: Session, workspace_id: int) -> bool:
    return bool(
        session.scalar(
            select(Workspace.everyone_may_add_exercises).where(Workspace.id == workspace_id)
        )
    )


def set_everyone_may_add(session: Session, workspace_id: int, allowed: bool) -> None:
    session.execute(
        update(Workspace)
        .where(Workspace.id == workspace_id)
        .values(everyone_may_add_exercises=allowed)
    )


def stored(row: TeamExercise) -> StoredExercise:
    exercise = Exercise.model_validate_json(row.content)
    return StoredExercise(exercise, row.author_user_id, row.from_physio, row.hidden)


def team_rows(session: Session, workspace_id: int) -> list[TeamExercise]:
    return list(
        session.scalars(
            select(TeamExercise)
            .where(TeamExercise.workspace_id == workspace_id)
            .order_by(TeamExercise.id)
        )
    )


def team_exercises(session: Session, workspace_id: int) -> list[StoredExercise]:
    """The workspace's exercises that the content model accepts. One it no longer accepts (the
    model gained a required field since it was saved) is left out and logged, not raised: the
    rest of the library, and every `/stretch`, keeps working."""
    exercises = []
    for row in team_rows(session, workspace_id):
        try:
            exercises.append(stored(row))
        except ValidationError as error:
            logger.warning(
                "team exercise %s of workspace %s left out: %d problems with the content model",
                row.exercise_id,
                workspace_id,
                error.error_count(),
            )
    return exercises


def team_row(session: Session, workspace_id: int, exercise_id: str) -> TeamExercise | None:
    return session.scalar(
        select(TeamExercise).where(
            TeamExercise.workspace_id == workspace_id, TeamExercise.exercise_id == exercise_id
        )
    )


def hidden_seed_ids(session: Session, workspace_id: int) -> set[str]:
    return set(
        session.scalars(
            select(HiddenSeedExercise.exercise_id).where(
                HiddenSeedExercise.workspace_id == workspace_id
            )
        )
    )


def add_team_exercise(
    session: Session,
    workspace_id: int,
    exercise: Exercise,
    author: str,
    from_physio: bool,
    view_id: str | None,
    now: datetime,
) -> bool:
    """Insert the exercise; False when this modal's submission was saved already (a retry, or
    the loser of two racing submissions of one modal: its insert does nothing)."""
    inserted = insert_if_absent(
        session,
        TeamExercise,
        {
            "workspace_id": workspace_id,
            "exercise_id": exercise.id,
            "content": json.dumps(exercise_data(exercise)),
            "author_user_id": author,
            "from_physio": from_physio,
            "hidden": False,
            "created_by_view": view_id,
            "created_at": now,
            "updated_at": now,
        },
        unique_on=["workspace_id", "created_by_view"],
    )
    if inserted:
        library_changed(session, workspace_id)
    return inserted


def rewrite(row: TeamExercise, exercise: Exercise, from_physio: bool, now: datetime) -> None:
    row.content = json.dumps(exercise_data(exercise))
    row.from_physio = from_physio
    row.updated_at = now


def hide_seed(session: Session, workspace_id: int, exercise_id: str, hidden: bool) -> None:
    if hidden:
        insert_if_absent(
            session,
            HiddenSeedExercise,
            {"workspace_id": workspace_id, "exercise_id": exercise_id},
            unique_on=["workspace_id", "exercise_id"],
        )
    else:
        session.execute(
            delete(HiddenSeedExercise).where(
                HiddenSeedExercise.workspace_id == workspace_id,
                HiddenSeedExercise.exercise_id == exercise_id,
            )
        )
    library_changed(session, workspace_id)


def hand_over_authored(session: Session, who: SlackUser) -> int:
    """`forget me`: the person's exercises become the workspace's, credited to "a former
    member", so that the team keeps them and nothing names the person any more."""
    workspace_id = known_workspace_id(session, who)
    handed = session.execute(
        update(TeamExercise)
        .where(
            TeamExercise.workspace_id == workspace_id, TeamExercise.author_user_id == who.user_id
        )
        .values(author_user_id=None)
    ).rowcount
    if handed:
        library_changed(session, workspace_id)
    return handed
