"""Group breaks in the database: the one open in a channel, who joined and did it, and the
invitation's state for its message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from bot.db.models import GroupBreak, GroupBreakParticipant
from bot.db.writes import insert_if_absent
from bot.domain.group_breaks import INVITATION_UPDATE_EVERY, InvitationState


def open_in_channel(session: Session, workspace_id: int, channel_id: str) -> GroupBreak | None:
    return session.scalar(
        select(GroupBreak).where(
            GroupBreak.workspace_id == workspace_id,
            GroupBreak.channel_id == channel_id,
            GroupBreak.ended_at.is_(None),
        )
    )


def invitation_state(session: Session, group_break: GroupBreak) -> InvitationState:
    joined, done = session.execute(
        select(func.count(), func.count(GroupBreakParticipant.done_at)).where(
            GroupBreakParticipant.group_break_id == group_break.id
        )
    ).one()
    return InvitationState(
        group_break_id=group_break.id,
        started_by=group_break.started_by,
        starts_at=group_break.starts_at,
        exercise_posted=group_break.status == "posted",
        ended=group_break.ended_at is not None,
        joined=joined,
        done=done,
    )


def add_participant(session: Session, group_break_id: int, person_id: int, now: datetime) -> bool:
    """Count the person in (once); True when they were not in yet. The invitation is marked for
    a refresh of its count."""
    joined = insert_if_absent(
        session,
        GroupBreakParticipant,
        {"group_break_id": group_break_id, "person_id": person_id, "joined_at": now},
        unique_on=["group_break_id", "person_id"],
    )
    if joined:
        mark_invitation_dirty(session, group_break_id)
    return joined


def mark_done(session: Session, group_break_id: int, person_id: int, now: datetime) -> bool:
    """Record the person's Done (joining them if needed); True the first time."""
    add_participant(session, group_break_id, person_id, now)
    done = session.execute(
        update(GroupBreakParticipant)
        .where(
            GroupBreakParticipant.group_break_id == group_break_id,
            GroupBreakParticipant.person_id == person_id,
            GroupBreakParticipant.done_at.is_(None),
        )
        .values(done_at=now)
    ).rowcount
    if done:
        mark_invitation_dirty(session, group_break_id)
    return done == 1


def mark_invitation_dirty(session: Session, group_break_id: int) -> None:
    session.execute(
        update(GroupBreak).where(GroupBreak.id == group_break_id).values(invitation_dirty=True)
    )


def invitation_may_be_updated(now: datetime) -> ColumnElement[bool]:
    """The invitation changed, is posted, and was not updated in the last few seconds."""
    return and_(
        GroupBreak.invitation_dirty.is_(True),
        GroupBreak.invitation_ts.is_not(None),
        or_(
            GroupBreak.invitation_updated_at.is_(None),
            GroupBreak.invitation_updated_at <= now - INVITATION_UPDATE_EVERY,
        ),
    )


def due_refreshes(session: Session, now: datetime) -> list[int]:
    """Group breaks whose invitation may be updated now."""
    return list(session.scalars(select(GroupBreak.id).where(invitation_may_be_updated(now))))


def due_closes(session: Session, now: datetime) -> list[int]:
    """Open group breaks whose time is over."""
    return list(
        session.scalars(
            select(GroupBreak.id).where(GroupBreak.ended_at.is_(None), GroupBreak.closes_at <= now)
        )
    )


def close(session: Session, group_break_id: int, now: datetime) -> bool:
    """End the group break once (compare-and-set), its invitation marked for the final count."""
    return (
        session.execute(
            update(GroupBreak)
            .where(GroupBreak.id == group_break_id, GroupBreak.ended_at.is_(None))
            .values(ended_at=now, invitation_dirty=True)
        ).rowcount
        == 1
    )
