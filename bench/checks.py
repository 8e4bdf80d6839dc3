"""What was delivered, from both sides: the fake Slack's DMs and the database's nudge rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from bot.db.models import Nudge
from tests.support.fake_slack import FakeSlack

NUDGE_EVENT = "stretch_nudge"


@dataclass(frozen=True)
class Posted:
    user: str
    nudge_id: int
    ts: Decimal  # Slack's message ts: when the fake accepted it (seconds since the epoch)


def posted_nudges(fake: FakeSlack, users: Iterable[str]) -> list[Posted]:
    """Every nudge DM in the fake workspace, by the nudge id it carries in its metadata."""
    found = []
    for user in users:
        for message in fake.messages(user):
            meta = message.get("metadata") or {}
            if meta.get("event_type") == NUDGE_EVENT:
                nudge_id = meta["event_payload"]["nudge_id"]
                found.append(Posted(user, nudge_id, Decimal(message["ts"])))
    return found


SUPERSEDED = "superseded%"


@dataclass(frozen=True)
class Delivery:
    """Nudges planned (rows), sent (rows marked sent), posted (DMs), posted twice, superseded,
    lost."""

    rows: int
    statuses: dict[str, int]
    posted: int
    duplicates: int
    superseded: int  # dropped because the person's next slot came first, and that one was sent
    lost: int  # rows neither sent (with a DM) nor superseded

    @property
    def sent(self) -> int:
        return self.statuses.get("sent", 0)


def delivery(engine: Engine, posted: list[Posted], slot_until: datetime | None = None) -> Delivery:
    """Compare the rows with the DMs; with `slot_until`, only nudges for slots up to then.

    A nudge still waiting (a retry, a hold) when the person's next slot is planned is dropped as
    superseded: they get the newer one instead. That is by design, not a loss, if the newer one
    was sent."""
    query = select(Nudge.id, Nudge.person_id, Nudge.status, Nudge.note, Nudge.slot_at)
    if slot_until is not None:
        query = query.where(Nudge.slot_at <= slot_until)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
        later = select(Nudge.person_id).where(Nudge.status == "sent", Nudge.slot_at > slot_until)
        later_sent = set(connection.scalars(later)) if slot_until is not None else set()
    ids = {row.id for row in rows}
    counts = Counter(p.nudge_id for p in posted)
    sent_ids = {row.id for row in rows if row.status == "sent"}
    superseded = {
        row.id
        for row in rows
        if row.status == "dropped"
        and (row.note or "").startswith("superseded")
        and row.person_id in later_sent
    }
    return Delivery(
        rows=len(rows),
        statuses=dict(Counter(row.status for row in rows)),
        posted=sum(1 for i in ids if counts[i]),
        duplicates=sum(n - 1 for n in counts.values()),
        superseded=len(superseded),
        lost=len(ids - sent_ids - superseded) + sum(1 for i in sent_ids if not counts[i]),
    )


def resolved(engine: Engine, slot_until: datetime) -> int:
    """Nudges for slots up to `slot_until` that are sent, or superseded by a newer one that was
    sent (as `delivery` counts them)."""
    newer = aliased(Nudge)
    newer_sent = (
        select(newer.id)
        .where(
            newer.person_id == Nudge.person_id,
            newer.slot_at > Nudge.slot_at,
            newer.status == "sent",
        )
        .exists()
    )
    superseded = (Nudge.status == "dropped") & Nudge.note.like(SUPERSEDED) & newer_sent
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count())
            .select_from(Nudge)
            .where(Nudge.slot_at <= slot_until, (Nudge.status == "sent") | superseded)
        )


def peak_in_window(times: list[float], seconds: float) -> int:
    """The most events in any window of `seconds` (sliding, anchored at each event)."""
    ordered = sorted(times)
    peak, low = 0, 0
    for high, moment in enumerate(ordered):
        while ordered[low] <= moment - seconds:
            low += 1
        peak = max(peak, high - low + 1)
    return peak
