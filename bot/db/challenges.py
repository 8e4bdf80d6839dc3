"""Reading challenges back from the database into what the messages need."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import (
    Challenge,
    ChallengeDay,
    ChallengeDone,
    ChallengeMember,
    Person,
)
from bot.domain.challenges import ChallengeInfo, Standing, leaderboard


def info_of(session: Session, challenge: Challenge) -> ChallengeInfo:
    dates = session.execute(
        select(
            func.min(ChallengeDay.local_date), func.max(ChallengeDay.local_date), func.count()
        ).where(ChallengeDay.challenge_id == challenge.id)
    ).one()
    return ChallengeInfo(
        challenge_id=challenge.id,
        started_by=challenge.started_by,
        days=dates[2],
        first_day=date.fromisoformat(dates[0]),
        last_day=date.fromisoformat(dates[1]),
        at=f"{challenge.post_minute // 60:02d}:{challenge.post_minute % 60:02d}",
        tz=challenge.tz,
        ended=challenge.status == "ended",
    )


def standings_of(session: Session, challenge_id: int) -> list[Standing]:
    done = dict(
        session.execute(
            select(Person.slack_user_id, func.count(ChallengeDone.id))
            .join(ChallengeDone, ChallengeDone.person_id == Person.id)
            .where(ChallengeDone.challenge_id == challenge_id)
            .group_by(Person.slack_user_id)
        ).all()
    )
    members = session.scalars(
        select(Person.slack_user_id)
        .join(ChallengeMember, ChallengeMember.person_id == Person.id)
        .where(ChallengeMember.challenge_id == challenge_id, ChallengeMember.active.is_(True))
    ).all()
    return leaderboard(done, members)


def days_posted(session: Session, challenge_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(ChallengeDay)
            .where(ChallengeDay.challenge_id == challenge_id, ChallengeDay.status == "posted")
        )
        or 0
    )


def active_in_channel(session: Session, workspace_id: int, channel_id: str) -> Challenge | None:
    return session.scalar(
        select(Challenge).where(
            Challenge.workspace_id == workspace_id,
            Challenge.channel_id == channel_id,
            Challenge.status == "active",
        )
    )
