"""Whether a workspace is served: marked active on install, inactive on uninstall or when Slack
refuses its token, so that scheduled work skips it until it is installed again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Workspace
from bot.db.writes import insert_if_absent
from bot.domain.people import SlackUser


def set_workspace_active(
    sessions: sessionmaker[Session], team_id: str, enterprise_id: str, active: bool, now: datetime
) -> None:
    with sessions.begin() as session:
        insert_if_absent(
            session,
            Workspace,
            {
                "team_id": team_id,
                "enterprise_id": enterprise_id,
                "created_at": now,
                "active": active,
            },
            unique_on=["enterprise_id", "team_id"],
        )
        session.execute(
            update(Workspace)
            .where(Workspace.team_id == team_id, Workspace.enterprise_id == enterprise_id)
            .values(active=active)
        )


def deactivate(sessions: sessionmaker[Session], workspace_id: int) -> None:
    with sessions.begin() as session:
        session.execute(update(Workspace).where(Workspace.id == workspace_id).values(active=False))


def is_workspace_of(session: Session, workspace_id: int, who: SlackUser) -> bool:
    """Whether `who` asks from the workspace `workspace_id`. A button's row id is no secret;
    without this, a click from another workspace would act on this one's rows."""
    workspace = session.get(Workspace, workspace_id)
    return (
        workspace is not None
        and workspace.team_id == who.team_id
        and workspace.enterprise_id == who.enterprise_id
    )
