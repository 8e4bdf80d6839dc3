"""Reading and keeping the languages: a person's, a workspace's default, and a channel post's."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.db.models import Person, Workspace, WorkspaceDefaultsRow
from bot.domain.languages import LanguageChoice, effective_language, post_language
from bot.domain.people import SlackUser

# One indexed read per request (see `choice_of`): the person's choice and Slack locale, and their
# workspace's default, found the way `bot.db.people.find_person` finds the person.
_CHOICE = (
    select(Person.language, Person.slack_locale, WorkspaceDefaultsRow.language)
    .join(Workspace, Workspace.id == Person.workspace_id)
    .outerjoin(WorkspaceDefaultsRow, WorkspaceDefaultsRow.workspace_id == Person.workspace_id)
)
_CHOICE_IN_WORKSPACE = _CHOICE.where(
    Workspace.team_id == bindparam("team_id"),
    Workspace.enterprise_id == "",
    Person.slack_user_id == bindparam("user_id"),
)
_CHOICE_IN_ORG = (
    _CHOICE.where(
        Workspace.enterprise_id == bindparam("enterprise_id"),
        Person.slack_user_id == bindparam("user_id"),
    )
    .order_by(Person.id)
    .limit(1)
)
_WORKSPACE_DEFAULT = (
    select(WorkspaceDefaultsRow.language)
    .join(Workspace, Workspace.id == WorkspaceDefaultsRow.workspace_id)
    .where(
        Workspace.team_id == bindparam("team_id"),
        Workspace.enterprise_id == bindparam("enterprise_id"),
    )
)


def choice_of(session: Session, who: SlackUser) -> LanguageChoice | None:
    """What decides the language `who` is spoken to in; None when the app has no row for them."""
    if who.enterprise_id:
        query, params = _CHOICE_IN_ORG, {"enterprise_id": who.enterprise_id}
    else:
        query, params = _CHOICE_IN_WORKSPACE, {"team_id": who.team_id}
    row = session.execute(query, {**params, "user_id": who.user_id}).one_or_none()
    return None if row is None else LanguageChoice(*row)


def workspace_language_of(session: Session, who: SlackUser) -> str | None:
    """The default language of the workspace `who`'s request comes from."""
    return session.scalar(
        _WORKSPACE_DEFAULT, {"team_id": who.team_id, "enterprise_id": who.enterprise_id}
    )


def workspace_language(session: Session, workspace_id: int) -> str | None:
    """The default language the workspace's admin chose, if any."""
    row = session.get(WorkspaceDefaultsRow, workspace_id)
    return row.language if row else None


def language_of_person(session: Session, person: Person) -> str:
    """The language to speak to `person` in now (for their posts, and a channel post they
    start)."""
    default = workspace_language(session, person.workspace_id)
    return effective_language(LanguageChoice(person.language, person.slack_locale, default))


def language_of_post(session: Session, started_in: str | None, workspace_id: int) -> str:
    """A challenge's or group break's posts: in its starter's language, else the default."""
    return post_language(started_in, workspace_language(session, workspace_id))
