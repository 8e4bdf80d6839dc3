"""The tables. Every instant is UTC (`UTCDateTime`); every person belongs to one workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.db.types import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}


class Workspace(Base):
    """A Slack workspace (team), optionally inside an Enterprise Grid org."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("enterprise_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    # "" rather than NULL outside Enterprise Grid, so the unique constraint holds on every database.
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime]


class Person(Base):
    """Someone who has used the app, with their time zone and preferences."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    place: Mapped[str] = mapped_column(String(16), default="office")
    created_at: Mapped[datetime]


class Completion(Base):
    """One exercise done. `dedupe_key` makes a double click or a Slack retry count once."""

    __tablename__ = "completions"
    __table_args__ = (Index("ix_completions_person_time", "person_id", "completed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # command | nudge | challenge
    completed_at: Mapped[datetime]
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
