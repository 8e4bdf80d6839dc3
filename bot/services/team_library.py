"""The team library's use cases: add, edit, hide, delete, export and import a workspace's own
exercises, and whether everyone may add them.

Every change checks, against Slack and the database, who asks and in which workspace: a forged
button value or view submission names an exercise, but the workspace is the requester's own and
the rights are looked up here, never read from the payload.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import TeamExercise as TeamRow
from bot.db.team_library import (
    WorkspaceLibraries,
    add_team_exercise,
    everyone_may_add,
    hidden_seed_ids,
    hide_seed,
    known_workspace_id,
    library_changed,
    rewrite,
    set_everyone_may_add,
    stored,
    team_exercises,
    team_row,
    team_rows,
    workspace_id_of,
)
from bot.domain.clock import Clock
from bot.domain.content import Exercise
from bot.domain.people import SlackUser
from bot.domain.team_library import (
    Entry,
    Overview,
    Refusal,
    TeamExercise,
    export_yaml,
    new_id,
    parse_import,
)
from bot.slack.admins import is_workspace_admin


@dataclass(frozen=True)
class Imported:
    added: int
    replaced: int


class TeamLibraryService:
    def __init__(
        self, sessions: sessionmaker[Session], clock: Clock, libraries: WorkspaceLibraries
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.libraries = libraries

    # --- reading ------------------------------------------------------------------------------

    def overview(self, who: SlackUser, client: WebClient) -> Overview:
        admin = is_workspace_admin(client, who.user_id)
        with self._sessions() as session:
            workspace_id = known_workspace_id(session, who)
            hidden = hidden_seed_ids(session, workspace_id)
            own = team_exercises(session, workspace_id)
            everyone = everyone_may_add(session, workspace_id)
        entries = [
            Entry(e, team=False, hidden=e.id in hidden, may_edit=False, may_hide=admin)
            for e in self.libraries.seed.exercises
        ]
        for team in own:
            mine = admin or team.author == who.user_id
            entries.append(Entry(team.as_shown(), True, team.hidden, mine, mine))
        return Overview(entries, admin or everyone, admin, everyone)

    def may_add(self, who: SlackUser, client: WebClient) -> Refusal | None:
        if is_workspace_admin(client, who.user_id):
            return None
        with self._sessions() as session:
            allowed = everyone_may_add(session, known_workspace_id(session, who))
        return None if allowed else Refusal.ADDING_CLOSED

    def may_import(self, who: SlackUser, client: WebClient) -> Refusal | None:
        """Imports replace exercises by id, whoever added them: admins only."""
        return None if is_workspace_admin(client, who.user_id) else Refusal.NOT_ADMIN

    def editable(
        self, who: SlackUser, client: WebClient, exercise_id: str
    ) -> TeamExercise | Refusal:
        """The exercise to fill the edit form with, if `who` may edit it."""
        refusal = self._refusal_to_change(who, client, exercise_id)
        if refusal is not None:
            return refusal
        with self._sessions.begin() as session:
            row = self._team_row(session, who, exercise_id)
            return Refusal.UNKNOWN if row is None else stored(row)

    def export(self, who: SlackUser) -> str | None:
        """The workspace's own exercises as YAML, None when it has none."""
        with self._sessions() as session:
            own = team_exercises(session, known_workspace_id(session, who))
        return export_yaml(own) if own else None

    # --- changing -----------------------------------------------------------------------------

    def add(
        self,
        who: SlackUser,
        client: WebClient,
        exercise: Exercise,
        from_physio: bool,
        view_id: str,
    ) -> Exercise | Refusal:
        """Save a new exercise under an id made from its title; a resubmitted modal (the same
        `view_id`) saves nothing more."""
        refusal = self.may_add(who, client)
        if refusal is not None:
            return refusal
        with self._sessions.begin() as session:
            workspace_id = workspace_id_of(session, who, self._clock.now())
            taken = self._reserved_ids() | {r.exercise_id for r in team_rows(session, workspace_id)}
            saved = exercise.model_copy(update={"id": new_id(exercise.title, taken)})
            add_team_exercise(
                session, workspace_id, saved, who.user_id, from_physio, view_id, self._clock.now()
            )
        return saved

    def edit(
        self,
        who: SlackUser,
        client: WebClient,
        exercise_id: str,
        exercise: Exercise,
        from_physio: bool,
    ) -> Exercise | Refusal:
        refusal = self._refusal_to_change(who, client, exercise_id)
        if refusal is not None:
            return refusal
        with self._sessions.begin() as session:
            row = self._team_row(session, who, exercise_id)
            if row is None:
                return Refusal.UNKNOWN
            saved = exercise.model_copy(update={"id": row.exercise_id})
            rewrite(row, saved, from_physio, self._clock.now())
            library_changed(session, row.workspace_id)
        return saved

    def set_hidden(
        self, who: SlackUser, client: WebClient, exercise_id: str, hidden: bool
    ) -> Refusal | None:
        """Hide or show a team exercise (its author or an admin) or a seed one (an admin)."""
        if self.libraries.seed.exercise(exercise_id) is not None:
            if not is_workspace_admin(client, who.user_id):
                return Refusal.NOT_ADMIN
            with self._sessions.begin() as session:
                workspace_id = workspace_id_of(session, who, self._clock.now())
                hide_seed(session, workspace_id, exercise_id, hidden)
            return None
        refusal = self._refusal_to_change(who, client, exercise_id)
        if refusal is not None:
            return refusal
        with self._sessions.begin() as session:
            row = self._team_row(session, who, exercise_id)
            if row is None:
                return Refusal.UNKNOWN
            row.hidden = hidden
            library_changed(session, row.workspace_id)
        return None

    def delete(self, who: SlackUser, client: WebClient, exercise_id: str) -> Refusal | None:
        """Delete a team exercise (its author or an admin); seed exercises can only be hidden."""
        refusal = self._refusal_to_change(who, client, exercise_id)
        if refusal is not None:
            return refusal
        with self._sessions.begin() as session:
            row = self._team_row(session, who, exercise_id)
            if row is None:
                return Refusal.UNKNOWN
            session.delete(row)
            library_changed(session, row.workspace_id)
        return None

    def set_everyone_may_add(
        self, who: SlackUser, client: WebClient, allowed: bool
    ) -> Refusal | None:
        if not is_workspace_admin(client, who.user_id):
            return Refusal.NOT_ADMIN
        with self._sessions.begin() as session:
            set_everyone_may_add(session, workspace_id_of(session, who, self._clock.now()), allowed)
        return None

    def import_yaml(
        self, who: SlackUser, client: WebClient, text: str
    ) -> Imported | list[str] | Refusal:
        """Admins only: every exercise of the file, added or replacing the one with its id — or,
        when any entry is invalid, nothing and the list of problems."""
        refusal = self.may_import(who, client)
        if refusal is not None:
            return refusal
        parsed, problems = parse_import(text, self._reserved_ids())
        if problems:
            return problems
        now, added, replaced = self._clock.now(), 0, 0
        with self._sessions.begin() as session:
            workspace_id = workspace_id_of(session, who, now)
            for item in parsed:
                row = team_row(session, workspace_id, item.exercise.id)
                if row is None:
                    add_team_exercise(
                        session,
                        workspace_id,
                        item.exercise,
                        who.user_id,
                        item.from_physio,
                        None,
                        now,
                    )
                    added += 1
                else:
                    rewrite(row, item.exercise, item.from_physio, now)
                    replaced += 1
            library_changed(session, workspace_id)
        return Imported(added, replaced)

    # --- helpers ------------------------------------------------------------------------------

    def _team_row(self, session: Session, who: SlackUser, exercise_id: str) -> TeamRow | None:
        """The exercise of `who`'s own workspace: an id from another workspace finds nothing."""
        return team_row(session, known_workspace_id(session, who), exercise_id)

    def _refusal_to_change(
        self, who: SlackUser, client: WebClient, exercise_id: str
    ) -> Refusal | None:
        """Its author may change a team exercise, and so may an admin (asked of Slack outside
        any transaction, and only when `who` is not the author)."""
        with self._sessions.begin() as session:
            row = self._team_row(session, who, exercise_id)
            if row is None:
                return Refusal.UNKNOWN
            author = row.author_user_id
        if author == who.user_id or is_workspace_admin(client, who.user_id):
            return None
        return Refusal.NOT_YOURS

    def _reserved_ids(self) -> set[str]:
        seed = self.libraries.seed
        return {e.id for e in seed.exercises} | {t.id for t in seed.tips}
