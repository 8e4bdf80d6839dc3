"""Claiming nudges with a lease, so each is sent by one instance and none is lost in a crash.

On PostgreSQL candidates are selected `FOR UPDATE SKIP LOCKED`, so racing instances take
different rows without waiting. On both databases the claim itself is a compare-and-set update
that only succeeds while the nudge is still claimable — the only mechanism SQLite needs, having a
single writer. A claim whose lease runs out (the instance died mid-send) becomes claimable again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from bot.db.models import Nudge

LEASE = timedelta(minutes=2)


def _claimable(now: datetime):
    return or_(
        and_(Nudge.status == "pending", Nudge.due_at <= now),
        and_(Nudge.status == "sending", Nudge.lease_until < now),
    )


def claim(session: Session, instance: str, now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due nudges for `instance`; returns their ids (commit to keep them)."""
    query = select(Nudge.id).where(_claimable(now)).order_by(Nudge.due_at).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = []
    for nudge_id in session.scalars(query).all():
        won = session.execute(
            update(Nudge)
            .where(Nudge.id == nudge_id, _claimable(now))
            .values(
                status="sending",
                claimed_by=instance,
                lease_until=now + LEASE,
                attempts=Nudge.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if won:
            claimed.append(nudge_id)
    return claimed


def still_mine(nudge_id: int, instance: str):
    return and_(Nudge.id == nudge_id, Nudge.status == "sending", Nudge.claimed_by == instance)


def finish(session: Session, nudge_id: int, instance: str, **values: object) -> bool:
    """Record the result of a send, only if this instance still holds the claim."""
    return (
        session.execute(
            update(Nudge)
            .where(still_mine(nudge_id, instance))
            .values(claimed_by=None, lease_until=None, **values)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
