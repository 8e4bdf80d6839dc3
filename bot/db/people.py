"""Between a person's row and their `Preferences` / `WorkSchedule`."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, object_session

from bot.db.availability import slack_locale
from bot.db.days_off import days_off_of
from bot.db.models import Person, Workspace
from bot.db.stored_patterns import pattern_from_stored, stored_pattern
from bot.db.workspace_defaults import new_person_preferences
from bot.db.writes import insert_if_absent
from bot.domain.days_off import NO_DAYS_OFF, next_working_slot
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.preferences import Preferences
from bot.domain.schedule import WorkSchedule, local_date, stable_offset_seconds
from bot.domain.weekly_summaries import current_summary_due_at
from bot.domain.zones import valid_zone


def _wall(minutes: int | None) -> time | None:
    return None if minutes is None else time(minutes // 60, minutes % 60)


def _minutes(wall: time | None) -> int | None:
    return None if wall is None else wall.hour * 60 + wall.minute


def preferences_of(person: Person) -> Preferences:
    return Preferences(
        work_pattern=pattern_from_stored(person.work_pattern),
        interval_minutes=person.interval_minutes,
        place=person.place,
        lunch_start=_wall(person.lunch_start),
        lunch_end=_wall(person.lunch_end),
        tz_override=person.tz_override,
        weekly_summary=person.weekly_summary,
    )


def preference_columns(preferences: Preferences) -> dict[str, object]:
    """The `Person` column values that store `preferences`."""
    return {
        "work_pattern": stored_pattern(preferences.work_pattern),
        "interval_minutes": preferences.interval_minutes,
        "place": preferences.place,
        "lunch_start": _minutes(preferences.lunch_start),
        "lunch_end": _minutes(preferences.lunch_end),
        "tz_override": preferences.tz_override,
        "weekly_summary": preferences.weekly_summary,
    }


def store_preferences(person: Person, preferences: Preferences) -> None:
    for column, value in preference_columns(preferences).items():
        setattr(person, column, value)


def schedule_for(person: Person) -> WorkSchedule:
    """The person's schedule, their slots spread by a stable per-person offset so that people
    with identical settings do not all get nudged in the same second."""
    offset = stable_offset_seconds(
        f"{person.workspace_id}:{person.slack_user_id}", person.interval_minutes
    )
    return preferences_of(person).schedule(person.tz, offset)


def replan(person: Person, now: datetime) -> None:
    """Point `next_nudge_at` at the first slot after now (or after the pause) that is not on a
    day off, or clear it when reminders are off. Called whenever something the schedule depends
    on changes."""
    if not person.reminders_on:
        person.next_nudge_at = None
        return
    start = max(now, person.paused_until or now)
    schedule = schedule_for(person)
    session = object_session(person)
    today = local_date(schedule, now)
    days_off = NO_DAYS_OFF if session is None else days_off_of(session, person, today)
    person.next_nudge_at = next_working_slot(schedule, start, days_off)


def plan_weekly_summary(person: Person, now: datetime) -> None:
    """Point `weekly_summary_due_at` at this week's summary, or clear it when summaries are off.
    Called wherever the work days, hours, zone or the summary setting may have changed."""
    person.weekly_summary_due_at = (
        current_summary_due_at(schedule_for(person), now) if person.weekly_summary else None
    )


# Built once: every request looks a person up, and building the expression anew cost a fifth of
# a `/stretch`'s CPU (cProfile, 1,000 requests in process).
_PERSON_IN_WORKSPACE = (
    select(Person)
    .join(Workspace)
    .where(
        Workspace.team_id == bindparam("team_id"),
        Workspace.enterprise_id == "",
        Person.slack_user_id == bindparam("user_id"),
    )
)
# In Enterprise Grid a user id is the same in every workspace of the org: the person is found
# by org and id, whichever of the org's workspaces the request comes from (the oldest row, should
# two requests from two workspaces have raced to create them).
_PERSON_IN_ORG = (
    select(Person)
    .join(Workspace)
    .where(
        Workspace.enterprise_id == bindparam("enterprise_id"),
        Person.slack_user_id == bindparam("user_id"),
    )
    .order_by(Person.id)
    .limit(1)
)


def find_person(session: Session, who: SlackUser) -> Person | None:
    """The one row of the human behind `who`: keyed by org and user id in Enterprise Grid, by
    workspace and user id elsewhere (README: Two modes)."""
    if who.enterprise_id:
        query, params = _PERSON_IN_ORG, {"enterprise_id": who.enterprise_id}
    else:
        query, params = _PERSON_IN_WORKSPACE, {"team_id": who.team_id}
    return session.scalar(query, {**params, "user_id": who.user_id})


def ensure_workspace(session: Session, team_id: str, enterprise_id: str, now: datetime) -> int:
    """The id of the workspace (team, org), created on first contact: looked up first, since
    it almost always exists (a click storm meets a new person, not a new workspace, per click)."""
    params = {"team_id": team_id, "enterprise_id": enterprise_id}
    workspace_id = session.scalar(_WORKSPACE_ID, params)
    if workspace_id is None:
        insert_if_absent(
            session,
            Workspace,
            {**params, "created_at": now},
            unique_on=["enterprise_id", "team_id"],
        )
        workspace_id = session.scalar(_WORKSPACE_ID, params)
    assert workspace_id is not None
    return workspace_id


_WORKSPACE_ID = select(Workspace.id).where(
    Workspace.team_id == bindparam("team_id"), Workspace.enterprise_id == bindparam("enterprise_id")
)


def ensure_person(
    session: Session, who: SlackUser, now: datetime, profile: SlackProfile, defaults: Preferences
) -> Person:
    """The person's row, created on first contact — in the workspace they first came from — with
    the time zone from their Slack profile and the workspace's default preferences: its admin's
    (`bot.db.workspace_defaults`), else `defaults`, the environment's. Later changes to the
    defaults never touch an existing row.

    Safe when two requests race to create the same person: both inserts ignore conflicts.
    """
    person = find_person(session, who)
    if person is not None:
        return person
    workspace_id = ensure_workspace(session, who.team_id, who.enterprise_id, now)
    defaults = new_person_preferences(session, workspace_id, defaults)  # the admin's, if any
    user = profile.user() or {}
    insert_if_absent(
        session,
        Person,
        {
            "workspace_id": workspace_id,
            "slack_user_id": who.user_id,
            "tz": valid_zone(user.get("tz")) or "UTC",
            "slack_locale": slack_locale(user),
            "created_at": now,
            **preference_columns(defaults),
        },
        unique_on=["workspace_id", "slack_user_id"],
    )
    person = find_person(session, who)
    assert person is not None
    return person
