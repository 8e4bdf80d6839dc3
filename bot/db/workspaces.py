"""Whether a workspace is served: marked active on install, inactive on uninstall or when Slack
refuses its token, so that scheduled work skips it until it is installed again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Workspace
from bot.db.writes import insert_if_absent


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


def set_org_active(
    sessions: sessionmaker[Session],
    enterprise_id: str,
    active: bool,
    keep: frozenset[str] = frozenset(),
) -> None:
    """An org-wide install (or its uninstall): every workspace of the org the app already knows
    is served (or stopped), except the teams in `keep`, which have an installation of their own.
    Workspaces it meets later are created active."""
    with sessions.begin() as session:
        session.execute(
            update(Workspace)
            .where(Workspace.enterprise_id == enterprise_id, Workspace.team_id.not_in(keep))
            .values(active=active)
        )
