"""Reading and writing days off: planned time off and the public-holiday regions of people and
their workspaces, as `bot.domain.days_off.DaysOff` for the rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.db.models import Person, TimeOff, Workspace
from bot.db.writes import insert_if_absent
from bot.domain.days_off import DaysOff
from bot.domain.holidays import HolidayRegion, region_in_force
from bot.domain.time_off import DateSpan


def days_off_of(session: Session, person: Person, since: date | None = None) -> DaysOff:
    """The person's days off; time off that ended before ``since`` is left out (all when None)."""
    return days_off_for(session, [person], since)[person.id]


def days_off_for(
    session: Session, people: Sequence[Person], since: date | None = None
) -> dict[int, DaysOff]:
    """Days off of many people by person id, in two queries whatever their number."""
    ids = [person.id for person in people]
    spans: dict[int, list[DateSpan]] = defaultdict(list)
    query = select(TimeOff.person_id, TimeOff.first_day, TimeOff.last_day).where(
        TimeOff.person_id.in_(ids)
    )
    if since is not None:
        query = query.where(TimeOff.last_day >= since)
    for person_id, first, last in session.execute(query):
        spans[person_id].append(DateSpan(first, last))
    defaults = _workspace_regions(session, {person.workspace_id for person in people})
    return {
        person.id: DaysOff(
            tuple(sorted(spans[person.id])),
            region_in_force(
                person.holiday_country,
                person.holiday_subdivision,
                *defaults.get(person.workspace_id, (None, None)),
            ),
        )
        for person in people
    }


def upcoming_time_off(session: Session, person: Person, today: date) -> list[TimeOff]:
    """Time off not over by ``today``, soonest first: the list `/stretch away list` numbers."""
    return list(
        session.scalars(
            select(TimeOff)
            .where(TimeOff.person_id == person.id, TimeOff.last_day >= today)
            .order_by(TimeOff.first_day, TimeOff.last_day, TimeOff.id)
        )
    )


def add_time_off(session: Session, person: Person, span: DateSpan, now: datetime) -> bool:
    """Plan the span; False when exactly this span was already planned (a retry, a double
    click)."""
    return insert_if_absent(
        session,
        TimeOff,
        {"person_id": person.id, "first_day": span.first, "last_day": span.last, "created_at": now},
        ["person_id", "first_day", "last_day"],
    )


def cancel_time_off(session: Session, person: Person, time_off_id: int, today: date) -> bool:
    """Cancel the person's own upcoming time off: deleted if it has not started, else ended
    yesterday (the days already off stay off, so a streak over them still holds). False when
    it is not theirs or already over."""
    owned = (TimeOff.id == time_off_id, TimeOff.person_id == person.id, TimeOff.last_day >= today)
    not_started = session.execute(delete(TimeOff).where(*owned, TimeOff.first_day >= today))
    if not_started.rowcount:
        return True
    yesterday = today - timedelta(days=1)
    ongoing = session.execute(update(TimeOff).where(*owned).values(last_day=yesterday))
    return bool(ongoing.rowcount)


def workspace_region(session: Session, workspace_id: int) -> HolidayRegion | None:
    country, subdivision = _workspace_regions(session, {workspace_id}).get(
        workspace_id, (None, None)
    )
    return HolidayRegion(country, subdivision) if country else None


def set_workspace_region(session: Session, workspace_id: int, region: HolidayRegion | None) -> None:
    session.execute(
        update(Workspace)
        .where(Workspace.id == workspace_id)
        .values(
            holiday_country=region.country if region else None,
            holiday_subdivision=region.subdivision if region else None,
        )
    )


def _workspace_regions(
    session: Session, workspace_ids: set[int]
) -> dict[int, tuple[str | None, str | None]]:
    rows = session.execute(
        select(Workspace.id, Workspace.holiday_country, Workspace.holiday_subdivision).where(
            Workspace.id.in_(workspace_ids), Workspace.holiday_country.is_not(None)
        )
    )
    return {workspace_id: (country, subdivision) for workspace_id, country, subdivision in rows}
