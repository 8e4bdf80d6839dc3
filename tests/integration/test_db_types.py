"""UTC in, UTC out — on SQLite too, where DateTime(timezone=True) alone would drop offsets."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.db.engine import make_engine, make_session_factory
from bot.db.models import Workspace


def test_aware_datetimes_are_stored_as_utc(database_url):
    sessions = make_session_factory(make_engine(database_url))
    berlin_morning = datetime(2026, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    with sessions.begin() as session:
        session.add(Workspace(team_id="T1", enterprise_id="", created_at=berlin_morning))
    with sessions() as session:
        stored = session.scalar(select(Workspace.created_at))
        assert stored == datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
        assert stored.tzinfo is UTC
        later = session.scalar(
            select(Workspace.id).where(
                Workspace.created_at > datetime(2026, 6, 1, 7, 59, tzinfo=UTC)
            )
        )
        assert later is not None


def test_naive_datetimes_are_refused(database_url):
    sessions = make_session_factory(make_engine(database_url))
    with pytest.raises(Exception, match="naive datetime"), sessions.begin() as session:
        naive = datetime(2026, 6, 1, 10, 0)  # noqa: DTZ001
        session.add(Workspace(team_id="T1", enterprise_id="", created_at=naive))
