"""The challenge part of the tick: post each due day once, keep leaderboards fresh, and end
challenges whose last day is over (their results are posted by `bot.jobs.challenge_results`).

Day posts are sent the way nudges are (`bot.jobs.claimed_sends`): claimed a small batch at a time
with a lease, paced within the workspace's send budget, the claim renewed before a post that
could outlive it, given back after a 429's Retry-After. Each carries its day id in message
metadata: a post reclaimed after a crash first looks for itself in the channel history.
A day whose post time was missed while the bot was down still goes out later the same local
day; on a later day it is marked missed rather than posted out of place.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import ColumnElement, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from bot.blocks.challenge import announcement, day_post
from bot.db.challenges import info_of, standings_of
from bot.db.languages import language_of_post
from bot.db.models import Challenge, ChallengeDay
from bot.domain.i18n import speaking
from bot.jobs.claimed_sends import ClaimedSends, Outcome
from bot.jobs.send_failures import SEND_ERRORS, SendFailure
from bot.services.challenges import finish_challenge
from bot.slack.posting import CannotPost, post_in_channel, tagged

logger = logging.getLogger(__name__)

METADATA_EVENT = "stretch_challenge_day"
# chat.update is Tier 3 (~50 a minute per workspace): a board is redrawn at most every 3 s, so
# within 4 s of the last change (checked each second), and 20 a minute at most.
LEADERBOARD_EVERY = timedelta(seconds=3)


def _redraw_due(now: datetime) -> ColumnElement[bool]:
    """A board last redrawn at least `LEADERBOARD_EVERY` ago (or never)."""
    return (Challenge.leaderboard_updated_at.is_(None)) | (
        Challenge.leaderboard_updated_at <= now - LEADERBOARD_EVERY
    )


# Uninstalled: look again later; a day that passes meanwhile is marked missed.
WORKSPACE_RETRY = timedelta(hours=1)

_ALL_DAYS = aliased(ChallengeDay)
# Each claimed day with its challenge and how many days that challenge has ("day 2 of 5").
_DAYS_TO_POST = select(
    ChallengeDay,
    Challenge,
    select(func.count(_ALL_DAYS.id))
    .where(_ALL_DAYS.challenge_id == ChallengeDay.challenge_id)
    .scalar_subquery(),
).join(Challenge, Challenge.id == ChallengeDay.challenge_id)


class ChallengePosts(ClaimedSends):
    """A tick step: posts each due challenge day once, keeps leaderboards fresh, and ends the
    challenges whose last day is over."""

    name = "challenge posts"
    model = ChallengeDay

    def run(self) -> Counter[str]:
        done = self.post_due_days()
        done["leaderboards updated"] = self.refresh_leaderboards()
        done["challenges ended"] = self.end_finished()
        return done

    # --- daily posts ---------------------------------------------------------------------

    def post_due_days(self) -> Counter[str]:
        return self._send_due(_DAYS_TO_POST, self._post_day)

    def _post_day(self, day: ChallengeDay, challenge: Challenge, total_days: int) -> Outcome:
        now = self._clock.now()
        if challenge.status != "active" or _local_date(now, challenge.tz) > date.fromisoformat(
            day.local_date
        ):
            return self._finish(day, "missed")
        try:
            client = self._client_for(challenge.workspace_id)
            found = self._found(day, client, challenge.channel_id, METADATA_EVENT, "day_id")
            if found:
                return self._finish(day, "posted", ts=found, posted_at=now)
            library = self._libraries.of_workspace(challenge.workspace_id)
            exercise = library.exercise(day.exercise_id) or library.exercises[0]
            with speaking(self._post_language(challenge.language, challenge.workspace_id)):
                post = day_post(day.id, day.day_number, total_days, exercise)
            posted = self._paced_post(
                day,
                challenge.workspace_id,
                challenge.channel_id,
                lambda: post_in_channel(
                    client,
                    challenge.channel_id,
                    post,
                    metadata=tagged(METADATA_EVENT, "day_id", day.id),
                ),
            )
        except CannotPost:
            logger.warning("challenge %s: cannot post day %s", challenge.id, day.day_number)
            return self._finish(day, "missed")
        except SEND_ERRORS as error:
            return self._send_failed(day, challenge.workspace_id, error)
        if isinstance(posted, Outcome):
            return posted
        return self._finish(day, "posted", ts=posted["ts"], posted_at=self._clock.now())

    def _workspace_refused(self, day: ChallengeDay, note: str) -> Outcome:
        return self._finish(day, "pending", note, due_at=self._clock.now() + WORKSPACE_RETRY)

    def _refused(self, day: ChallengeDay, failure: SendFailure) -> Outcome:
        return self._retry(day, failure.note)  # the day's post may still go out later today

    # --- leaderboards ----------------------------------------------------------------------

    def refresh_leaderboards(self) -> int:
        now = self._clock.now()
        with self._sessions() as session:
            candidates = session.scalars(
                select(Challenge.id).where(
                    Challenge.leaderboard_dirty.is_(True),
                    Challenge.announcement_ts.is_not(None),
                    _redraw_due(now),
                )
            ).all()
        return sum(self._refresh(challenge_id, now) for challenge_id in candidates)

    def _refresh(self, challenge_id: int, now: datetime) -> bool:
        with self._sessions.begin() as session:
            # The spacing is checked again here, with the mark: the tick and the every-second
            # job (and other instances) may both have picked this board a moment ago.
            won = session.execute(
                update(Challenge)
                .where(
                    Challenge.id == challenge_id,
                    Challenge.leaderboard_dirty.is_(True),
                    _redraw_due(now),
                )
                .values(leaderboard_dirty=False, leaderboard_updated_at=now)
            ).rowcount
            if not won:
                return False
            challenge = session.get(Challenge, challenge_id)
            assert challenge is not None
            with speaking(language_of_post(session, challenge.language, challenge.workspace_id)):
                message = announcement(
                    info_of(session, challenge), standings_of(session, challenge_id)
                )
            channel, ts, workspace = (
                challenge.channel_id,
                challenge.announcement_ts,
                challenge.workspace_id,
            )
        try:
            self._client_for(workspace).chat_update(channel=channel, ts=ts, **message.as_kwargs())
        except (SlackApiError, SlackClientError, OSError) as error:
            logger.warning("leaderboard of challenge %s not updated: %s", challenge_id, error)
            with self._sessions.begin() as session:
                session.execute(
                    update(Challenge)
                    .where(Challenge.id == challenge_id)
                    .values(leaderboard_dirty=True)
                )
            return False
        return True

    # --- the end ---------------------------------------------------------------------------

    def end_finished(self) -> int:
        """End challenges with no day left to post whose last day is over in their zone; their
        results are posted by the next step (`bot.jobs.challenge_results`)."""
        now = self._clock.now()
        open_days = exists().where(
            ChallengeDay.challenge_id == Challenge.id,
            ChallengeDay.status.in_(("pending", "sending")),
        )
        with self._sessions() as session:
            finished = [
                challenge.id
                for challenge in session.scalars(
                    select(Challenge).where(Challenge.status == "active", ~open_days)
                )
                if _last_day(session, challenge.id) < _local_date(now, challenge.tz)
            ]
        return sum(
            finish_challenge(self._sessions, self._clock, challenge_id) for challenge_id in finished
        )


def _local_date(at: datetime, tz: str) -> date:
    return at.astimezone(ZoneInfo(tz)).date()


def _last_day(session: Session, challenge_id: int) -> date:
    last = session.scalar(
        select(ChallengeDay.local_date)
        .where(ChallengeDay.challenge_id == challenge_id)
        .order_by(ChallengeDay.day_number.desc())
    )
    return date.fromisoformat(last)
