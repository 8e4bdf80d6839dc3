"""The team view's numbers, counted by the database: a handful of grouped rows whatever the
size of the workspace or its history (eight weeks of it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Integer, and_, case, cast, distinct, extract, func, select
from sqlalchemy.orm import Session

from bot.db.models import Completion, Person
from bot.domain.team_view import (
    MIN_GROUP,
    TOP_EXERCISES,
    TeamNumbers,
    Week,
    busiest_hours,
    week_starts,
)


def team_numbers(session: Session, workspace_id: int, now: datetime) -> TeamNumbers:
    """The workspace's numbers for the last eight weeks; groups of fewer than `MIN_GROUP` people
    are counted but flagged by their `people`, or left out (hours, exercises)."""
    starts = week_starts(now)
    in_workspace = and_(Person.workspace_id == workspace_id, Completion.completed_at >= starts[0])
    done = select(Completion).join(Person, Person.id == Completion.person_id).where(in_workspace)
    reminders_on = session.scalar(
        select(func.count()).where(
            Person.workspace_id == workspace_id,
            Person.reminders_on.is_(True),
            Person.deactivated_at.is_(None),
        )
    )
    week = case(
        *(
            (Completion.completed_at >= start, index)
            for index, start in reversed(list(enumerate(starts)))
        ),
        else_=0,
    )
    by_week = {
        index: (breaks, people)
        for index, breaks, people in session.execute(
            done.with_only_columns(
                week, func.count(), func.count(distinct(Completion.person_id))
            ).group_by(week)
        )
    }
    weeks = [Week(start.date(), *by_week.get(index, (0, 0))) for index, start in enumerate(starts)]
    hour = _utc_hour(session, Completion.completed_at)
    zone = func.coalesce(Person.tz_override, Person.tz)
    hours = session.execute(
        done.with_only_columns(Completion.person_id, zone, hour, func.count()).group_by(
            Completion.person_id, zone, hour
        )
    )
    exercises = session.execute(
        done.with_only_columns(Completion.exercise_id, func.count())
        .where(Completion.source != "self")
        .group_by(Completion.exercise_id)
        .having(func.count(distinct(Completion.person_id)) >= MIN_GROUP)
        .order_by(func.count().desc(), Completion.exercise_id)
        .limit(TOP_EXERCISES)
    )
    return TeamNumbers(
        reminders_on=reminders_on or 0,
        weeks=weeks,
        busiest_hours=busiest_hours(((p, z, int(h), n) for p, z, h, n in hours), now),
        top_exercises=[(exercise_id, count) for exercise_id, count in exercises],
    )


def _utc_hour(session: Session, instant: ColumnElement[datetime]) -> ColumnElement[int]:
    """The hour of day (0–23, UTC) of a stored instant, on either database."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(extract("hour", func.timezone("UTC", instant)), Integer)
    return cast(func.strftime("%H", instant), Integer)
