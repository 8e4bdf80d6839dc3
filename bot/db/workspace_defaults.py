"""Between a workspace's `WorkspaceDefaultsRow` (and its default public holidays, kept on the
`Workspace` row) and its `WorkspaceDefaults`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.days_off import set_workspace_region, workspace_region
from bot.db.models import WorkspaceDefaultsRow
from bot.db.stored_patterns import pattern_from_stored, stored_pattern
from bot.db.team_library import everyone_may_add, set_everyone_may_add
from bot.db.writes import insert_if_absent
from bot.domain.challenges import ChannelNotAllowed
from bot.domain.preferences import Preferences
from bot.domain.workspace_defaults import WorkspaceDefaults, channel_allowed


def defaults_of(
    session: Session, workspace_id: int, environment: WorkspaceDefaults
) -> WorkspaceDefaults:
    """What the workspace's admin chose, or ``environment`` where no one has yet."""
    holidays = workspace_region(session, workspace_id)
    everyone_adds = everyone_may_add(session, workspace_id)
    row = session.get(WorkspaceDefaultsRow, workspace_id)
    if row is None:
        return replace(environment, holidays=holidays, everyone_adds_exercises=everyone_adds)
    new_people = replace(
        environment.new_people,
        work_pattern=pattern_from_stored(row.work_pattern),
        interval_minutes=row.interval_minutes,
        place=row.place,
    )
    return WorkspaceDefaults(
        new_people,
        row.daily_nudge_cap,
        challenge_channels(session, workspace_id),
        holidays,
        everyone_adds,
        row.language,
    )


def new_person_preferences(
    session: Session, workspace_id: int, environment: Preferences
) -> Preferences:
    """What a person created now in the workspace starts with."""
    return defaults_of(session, workspace_id, WorkspaceDefaults(environment, 1)).new_people


def store_defaults(
    session: Session, workspace_id: int, defaults: WorkspaceDefaults, by: str, now: datetime
) -> None:
    """Save the admin's choices (the same choices saved twice leave the same rows)."""
    prefs = defaults.new_people
    values = {
        "work_pattern": stored_pattern(prefs.work_pattern),
        "interval_minutes": prefs.interval_minutes,
        "place": prefs.place,
        "daily_nudge_cap": defaults.daily_nudge_cap,
        "challenge_channels": ",".join(sorted(defaults.challenge_channels)),
        "language": defaults.language,
        "updated_by": by,
        "updated_at": now,
    }
    insert_if_absent(
        session, WorkspaceDefaultsRow, {"workspace_id": workspace_id, **values}, ["workspace_id"]
    )
    row = session.get(WorkspaceDefaultsRow, workspace_id, populate_existing=True)
    assert row is not None
    for column, value in values.items():
        setattr(row, column, value)
    set_workspace_region(session, workspace_id, defaults.holidays)
    set_everyone_may_add(session, workspace_id, defaults.everyone_adds_exercises)


def nudge_caps(session: Session, workspace_ids: Iterable[int]) -> dict[int, int]:
    """The daily caps the admins of these workspaces chose (absent: the environment's)."""
    ids = set(workspace_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(WorkspaceDefaultsRow.workspace_id, WorkspaceDefaultsRow.daily_nudge_cap).where(
            WorkspaceDefaultsRow.workspace_id.in_(ids)
        )
    )
    return {workspace_id: cap for workspace_id, cap in rows}


def challenge_channels(session: Session, workspace_id: int) -> frozenset[str]:
    """The channels where the workspace's admin lets challenges run; empty for any channel."""
    chosen = session.scalar(
        select(WorkspaceDefaultsRow.challenge_channels).where(
            WorkspaceDefaultsRow.workspace_id == workspace_id
        )
    )
    return frozenset(channel for channel in (chosen or "").split(",") if channel)


def channel_refusal(
    session: Session, workspace_id: int, channel_id: str
) -> ChannelNotAllowed | None:
    """Why a challenge or group break may not run in ``channel_id`` (the admin chose other
    channels), or None when it may."""
    allowed = challenge_channels(session, workspace_id)
    return None if channel_allowed(allowed, channel_id) else ChannelNotAllowed(allowed)
