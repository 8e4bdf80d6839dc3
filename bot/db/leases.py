"""Claiming scheduled work (nudges, challenge posts) with a lease, so each item is sent by one
instance and none is lost in a crash.

On PostgreSQL candidates are selected `FOR UPDATE SKIP LOCKED`, so racing instances take
different rows without waiting. On both databases the claim itself is a compare-and-set update
that only succeeds while the row is still claimable — the only mechanism SQLite needs, having a
single writer. A claim whose lease runs out (the instance died mid-send) becomes claimable again.

Works on any model with `status`, `due_at`, `claimed_by`, `lease_until` and `attempts` columns.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.orm import Session

from bot.db.models import OPEN_NUDGES
from bot.db.writes import value_by_id

LEASE = timedelta(minutes=2)


def _claimable(model, now: datetime):
    return and_(
        # Written as a literal, the same text as the partial index on open nudges, so that
        # SQLite sees that the index applies (it cannot tell with bound parameters).
        text(OPEN_NUDGES),
        or_(
            and_(model.status == "pending", model.due_at <= now),
            and_(model.status == "sending", model.lease_until < now),
        ),
    )


def claim(session: Session, model, instance: str, now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due rows for `instance`; returns their ids (commit to keep them).

    Two statements, not `UPDATE … WHERE id IN (SELECT … LIMIT … FOR UPDATE SKIP LOCKED)`:
    PostgreSQL may run such a subquery again for every row it updates, each run locking and
    returning other rows, and so claim far more than `limit` (bench/tick_scale found it claiming
    10,000 at once)."""
    due = select(model.id).where(_claimable(model, now)).order_by(model.due_at).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    candidates = list(session.scalars(due))
    if not candidates:
        return []
    table = model.__table__
    return list(
        session.scalars(
            update(table)
            .where(table.c.id.in_(candidates), _claimable(model, now))
            .values(
                status="sending",
                claimed_by=instance,
                lease_until=now + LEASE,
                attempts=table.c.attempts + 1,
            )
            .returning(table.c.id)
        )
    )


def renew(session: Session, model, row_id: int, instance: str, now: datetime) -> bool:
    """Extend this instance's lease right before a slow step (a post); False when the claim was
    lost meanwhile (the lease ran out and another instance took the row): then do not post."""
    return (
        session.execute(
            update(model)
            .where(model.id == row_id, model.status == "sending", model.claimed_by == instance)
            .values(lease_until=now + LEASE)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def finish(session: Session, model, row_id: int, instance: str, **values: object) -> bool:
    """Record the result of a send, only if this instance still holds the claim."""
    return (
        session.execute(
            update(model)
            .where(model.id == row_id, model.status == "sending", model.claimed_by == instance)
            .values(claimed_by=None, lease_until=None, **values)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def finish_each(
    session: Session,
    model,
    instance: str,
    per_row: dict[int, dict[str, object]],
    **values: object,
) -> set[int]:
    """`finish` for many rows in one statement: `per_row` holds each row's own values (the same
    columns for every row), `values` those they share. Returns the ids still claimed by
    `instance`, which are the ones recorded."""
    table = model.__table__
    columns = next(iter(per_row.values())).keys()
    own = {
        column: value_by_id(table, column, {row_id: row[column] for row_id, row in per_row.items()})
        for column in columns
    }
    return set(
        session.scalars(
            update(table)
            .where(
                table.c.id.in_(per_row),
                table.c.status == "sending",
                table.c.claimed_by == instance,
            )
            .values(claimed_by=None, lease_until=None, **own, **values)
            .returning(table.c.id)
        )
    )
