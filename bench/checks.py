"""What was delivered, from both sides: the fake Slack's messages and the database's rows —
nudges, and any other kind sent with its row id in message metadata."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from bot.db.models import Claimable, Nudge
from tests.support.fake_slack import FakeSlack

NUDGE_EVENT = "stretch_nudge"


@dataclass(frozen=True)
class Posted:
    channel: str  # where it was posted: a user id for a DM
    row_id: int  # the id it carries in its metadata: a nudge's, a summary's, …
    ts: Decimal  # Slack's message ts: when the fake accepted it (seconds since the epoch)


def tagged_posts(
    fake: FakeSlack, channels: Iterable[str], event_type: str, key: str
) -> Iterator[Posted]:
    """Every message of `event_type` in `channels` (user ids for DMs), by the row id it carries
    in its metadata under `key`."""
    for channel in channels:
        for message in fake.messages(channel):
            meta = message.get("metadata") or {}
            if meta.get("event_type") == event_type:
                yield Posted(channel, meta["event_payload"][key], Decimal(message["ts"]))


def posted_nudges(fake: FakeSlack, users: Iterable[str]) -> list[Posted]:
    """Every nudge DM in the fake workspace, by the nudge id it carries in its metadata."""
    return list(tagged_posts(fake, users, NUDGE_EVENT, "nudge_id"))


@dataclass(frozen=True)
class Once:
    """One kind of row that must go out exactly once: how many were due, posted (rows with at
    least one message), posted twice (messages beyond the first for a row) and lost (rows not
    marked done, or marked done without a message)."""

    kind: str
    due: int
    posted: int
    twice: int
    lost: int

    @property
    def passed(self) -> bool:
        return self.posted == self.due and self.twice == 0 and self.lost == 0


def sent_once(
    engine: Engine, kind: str, model: type[Claimable], done: str, posted: Iterable[Posted]
) -> Once:
    """Compare `model`'s rows with the messages carrying their ids; `done` is the status the step
    records once a row is posted ("sent", "posted")."""
    with engine.connect() as connection:
        rows = connection.execute(select(model.id, model.status)).all()
    counts = Counter(p.row_id for p in posted)
    done_ids = {row.id for row in rows if row.status == done}
    return Once(
        kind=kind,
        due=len(rows),
        posted=sum(1 for row in rows if counts[row.id]),
        twice=sum(n - 1 for n in counts.values()),
        lost=len(rows) - len(done_ids) + sum(1 for i in done_ids if not counts[i]),
    )


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
    counts = Counter(p.row_id for p in posted)
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
