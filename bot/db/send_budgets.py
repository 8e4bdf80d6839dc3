"""Reserving slots of a workspace's shared send budget: one atomic UPDATE … RETURNING, so that
instances reserving at once each get slots of their own (see `bot.domain.send_budget`)."""

from __future__ import annotations

from sqlalchemy import case, update
from sqlalchemy.orm import Session

from bot.db.models import SendBudget
from bot.db.writes import insert_if_absent


def reserve(session: Session, workspace: str, now: int, span: int) -> int:
    """Move the workspace's next free slot to `max(next_free, now) + span` (microseconds) and
    return it; a workspace without a row starts at `now`."""
    column = SendBudget.next_free
    statement = (
        update(SendBudget)
        .where(SendBudget.workspace == workspace)
        .values(next_free=case((column > now, column), else_=now) + span)
        .returning(column)
    )
    moved = session.execute(statement).scalar_one_or_none()
    if moved is None:
        insert_if_absent(
            session, SendBudget, {"workspace": workspace, "next_free": now}, ["workspace"]
        )
        moved = session.execute(statement).scalar_one()
    return moved
