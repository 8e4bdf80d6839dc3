"""Challenge use cases behind `/stretch challenge …` and the Join, Leave and Done buttons."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.challenge import announcement
from bot.db.challenges import (
    active_in_channel,
    info_of,
    standings_of,
)
from bot.db.completions import record_completion
from bot.db.models import (
    Challenge,
    ChallengeDay,
    ChallengeDone,
    ChallengeMember,
    ChallengeResult,
    Person,
)
from bot.db.people import ensure_workspace, schedule_for
from bot.db.workspace_defaults import channel_refusal
from bot.db.writes import insert_if_absent
from bot.domain.challenges import (
    ChallengeInputError,
    ChannelNotAllowed,
    DayDone,
    NotAllowedToEnd,
    Outcome,
    Problem,
    Started,
    StatusReport,
    parse_start,
    plan_days,
)
from bot.domain.clock import Clock
from bot.domain.i18n import current_language
from bot.domain.people import SlackProfile, SlackUser
from bot.services.use_cases import UseCases
from bot.slack.posting import CannotPost, post_in_channel

logger = logging.getLogger(__name__)

# A Done names its day; the day's challenge comes in the same round trip.
_DAY_AND_CHALLENGE = (
    select(ChallengeDay, Challenge)
    .join(Challenge, Challenge.id == ChallengeDay.challenge_id)
    .where(ChallengeDay.id == bindparam("day_id"))
)
# How many of a challenge's days a person has done, for the answer to their Done.
_DAYS_DONE = (
    select(func.count())
    .select_from(ChallengeDone)
    .where(
        ChallengeDone.challenge_id == bindparam("challenge_id"),
        ChallengeDone.person_id == bindparam("person_id"),
    )
)


def is_direct_message(channel_id: str) -> bool:
    return channel_id.startswith("D")


class ChallengeService(UseCases):
    """Each use case returns what happened (`bot.domain.challenges.ChallengeOutcome`); only the
    channel's own posts, the announcement and the results, are sent from here."""

    def start(
        self, who: SlackUser, channel_id: str, args: str, profile: SlackProfile, client: WebClient
    ) -> Started | Outcome | Problem | ChannelNotAllowed:
        if is_direct_message(channel_id):
            return Outcome.DIRECT_MESSAGE
        try:
            request = parse_start(args)
        except ChallengeInputError as problem:
            return Problem(str(problem))
        now = self._clock.now()
        try:
            with self._sessions.begin() as session:
                starter = self._person(session, who, profile)
                workspace_id = ensure_workspace(session, who.team_id, who.enterprise_id, now)
                refused = channel_refusal(session, workspace_id, channel_id)
                if refused is not None:
                    return refused
                if active_in_channel(session, workspace_id, channel_id):
                    return Outcome.ALREADY_RUNNING
                challenge = Challenge(
                    workspace_id=workspace_id,
                    channel_id=channel_id,
                    started_by=who.user_id,
                    tz=starter.zone_name,
                    language=current_language(),  # the starter's, which the request speaks
                    post_minute=request.at.hour * 60 + request.at.minute,
                    status="active",
                    leaderboard_dirty=False,
                    created_at=now,
                )
                session.add(challenge)
                session.flush()
                schedule = schedule_for(starter)
                for day in plan_days(
                    now,
                    schedule.tz,
                    schedule.work_days,
                    request,
                    [
                        e.id
                        for e in self._libraries.of_workspace(
                            starter.workspace_id, session
                        ).exercises
                    ],
                    seed=f"{channel_id}:{challenge.id}",
                ):
                    session.add(
                        ChallengeDay(
                            challenge_id=challenge.id,
                            day_number=day.number,
                            local_date=day.local_date.isoformat(),
                            due_at=day.due_at,
                            exercise_id=day.exercise_id,
                            status="pending",
                            attempts=0,
                        )
                    )
                session.add(
                    ChallengeMember(
                        challenge_id=challenge.id, person_id=starter.id, active=True, joined_at=now
                    )
                )
                session.flush()
                info, standings = info_of(session, challenge), standings_of(session, challenge.id)
                challenge_id = challenge.id
        except IntegrityError:  # another start in this channel won the race
            return Outcome.STARTED_MEANWHILE
        try:
            posted = post_in_channel(client, channel_id, announcement(info, standings))
        except CannotPost as problem:
            self._forget(challenge_id)
            return Problem(str(problem))
        with self._sessions.begin() as session:
            session.execute(
                update(Challenge)
                .where(Challenge.id == challenge_id)
                .values(announcement_ts=posted["ts"])
            )
        return Started(info)

    def _forget(self, challenge_id: int) -> None:
        with self._sessions.begin() as session:
            challenge = session.get(Challenge, challenge_id)
            if challenge is not None:
                session.delete(challenge)

    # Join, Leave and Done name a challenge or day by its id, which is no secret: each acts only
    # when clicked in that challenge's own channel. Anyone who sees the channel may take part,
    # people of another company in a Slack Connect channel too, each as their own person
    # (README: Challenges and Slack Connect).

    def join(
        self, who: SlackUser, channel_id: str, challenge_id: int, profile: SlackProfile
    ) -> Outcome:
        with self._sessions.begin() as session:
            challenge = session.get(Challenge, challenge_id)
            if challenge is not None and challenge.channel_id != channel_id:
                return Outcome.OTHER_CHANNEL
            if challenge is None or challenge.status != "active":
                return Outcome.JOIN_AFTER_END
            person = self._person(session, who, profile)
            self._enrol(session, challenge, person)
            _mark_dirty(session, challenge.id)
        return Outcome.JOINED

    def leave(
        self, who: SlackUser, channel_id: str, challenge_id: int, profile: SlackProfile
    ) -> Outcome:
        with self._sessions.begin() as session:
            challenge = session.get(Challenge, challenge_id)
            if challenge is None:
                return Outcome.NOT_A_MEMBER
            if challenge.channel_id != channel_id:
                return Outcome.OTHER_CHANNEL
            person = self._person(session, who, profile)
            left = session.execute(
                update(ChallengeMember)
                .where(
                    ChallengeMember.challenge_id == challenge_id,
                    ChallengeMember.person_id == person.id,
                )
                .values(active=False)
            ).rowcount
            _mark_dirty(session, challenge_id)
        return Outcome.LEFT if left else Outcome.NOT_A_MEMBER

    def done(
        self, who: SlackUser, channel_id: str, day_id: int, profile: SlackProfile
    ) -> DayDone | Outcome:
        """Count a participant's day once (joining them if needed), also as a personal Done.

        A click storm sends hundreds of these within seconds: a repeat (a double click, a
        retry) writes nothing but what it changes (a rejoin), not even the leaderboard's mark."""
        now = self._clock.now()
        with self._sessions.begin() as session:
            found = session.execute(_DAY_AND_CHALLENGE, {"day_id": day_id}).first()
            if found is None:
                return Outcome.DAY_NOT_OPEN
            day, challenge = found
            if challenge.channel_id != channel_id:
                return Outcome.OTHER_CHANNEL
            if day.status != "posted":
                return Outcome.DAY_NOT_OPEN
            if challenge.status != "active":
                return Outcome.DONE_AFTER_END
            person = self._person(session, who, profile)
            new = insert_if_absent(
                session,
                ChallengeDone,
                {
                    "challenge_id": challenge.id,
                    "day_id": day.id,
                    "person_id": person.id,
                    "done_at": now,
                },
                unique_on=["day_id", "person_id"],
            )
            enrolled = self._enrol(session, challenge, person)
            if new:
                record_completion(
                    session,
                    person,
                    day.exercise_id,
                    "challenge",
                    done_on=str(day.id),
                    at=now,
                )
            count = session.scalar(
                _DAYS_DONE, {"challenge_id": challenge.id, "person_id": person.id}
            )
            if new or enrolled:
                _mark_dirty(session, challenge.id)
            return DayDone(day.day_number, count, already_counted=not new)

    def _enrol(self, session: Session, challenge: Challenge, person: Person) -> bool:
        """Make the person an active member; True when they were not one."""
        joined = insert_if_absent(
            session,
            ChallengeMember,
            {
                "challenge_id": challenge.id,
                "person_id": person.id,
                "active": True,
                "joined_at": self._clock.now(),
            },
            unique_on=["challenge_id", "person_id"],
        )
        rejoined = (
            not joined
            and session.execute(
                update(ChallengeMember)
                .where(
                    ChallengeMember.challenge_id == challenge.id,
                    ChallengeMember.person_id == person.id,
                    ChallengeMember.active.is_(False),
                )
                .values(active=True)
            ).rowcount
            > 0
        )
        return joined or rejoined

    def status(
        self, who: SlackUser, channel_id: str, profile: SlackProfile
    ) -> StatusReport | Outcome:
        with self._sessions.begin() as session:
            challenge = self._running_here(session, who, profile, channel_id)
            if isinstance(challenge, Outcome):
                return challenge
            return StatusReport(info_of(session, challenge), standings_of(session, challenge.id))

    def end(
        self, who: SlackUser, channel_id: str, profile: SlackProfile
    ) -> Outcome | NotAllowedToEnd:
        """End the challenge running here; the tick posts its results a moment later."""
        with self._sessions.begin() as session:
            challenge = self._running_here(session, who, profile, channel_id)
            if isinstance(challenge, Outcome):
                return challenge
            if challenge.started_by != who.user_id and not _is_admin(profile):
                return NotAllowedToEnd(challenge.started_by)
            challenge_id = challenge.id
        if not finish_challenge(self._sessions, self._clock, challenge_id):
            return Outcome.ALREADY_ENDED
        return Outcome.ENDED

    def _running_here(
        self, session: Session, who: SlackUser, profile: SlackProfile, channel_id: str
    ) -> Challenge | Outcome:
        """The challenge running in the asker's channel of the workspace they ask from, or why
        there is none to act on (a DM, no challenge here)."""
        if is_direct_message(channel_id):
            return Outcome.DIRECT_MESSAGE
        self._person(session, who, profile)
        workspace_id = ensure_workspace(session, who.team_id, who.enterprise_id, self._clock.now())
        challenge = active_in_channel(session, workspace_id, channel_id)
        return Outcome.NONE_IN_CHANNEL if challenge is None else challenge


def _is_admin(profile: SlackProfile) -> bool:
    user = profile.user() or {}
    return any(user.get(flag) for flag in ("is_admin", "is_owner", "is_primary_owner"))


def _mark_dirty(session: Session, challenge_id: int) -> None:
    """Ask the tick to redraw the leaderboard. Every change writes the mark, even when it is
    already set: the write waits for a redraw under way to commit (and a redraw for the change
    to commit), so no change can fall between a redraw's reading and its clearing the mark. The
    row is locked from here to the commit, so callers mark last."""
    session.execute(
        update(Challenge).where(Challenge.id == challenge_id).values(leaderboard_dirty=True)
    )


def finish_challenge(sessions: sessionmaker[Session], clock: Clock, challenge_id: int) -> bool:
    """End a challenge once (compare-and-set on its status) and, in the same transaction, write
    its results post for the tick to send (`bot.jobs.challenge_results`): a crash can then
    neither lose the results nor post them twice. Days not yet posted are dropped. Returns False
    when someone else ended it first."""
    now = clock.now()
    with sessions.begin() as session:
        ended = session.execute(
            update(Challenge)
            .where(Challenge.id == challenge_id, Challenge.status == "active")
            .values(status="ended", ended_at=now, leaderboard_dirty=True)
        ).rowcount
        if not ended:
            return False
        session.execute(
            update(ChallengeDay)
            .where(ChallengeDay.challenge_id == challenge_id, ChallengeDay.status == "pending")
            .values(status="missed")
        )
        insert_if_absent(
            session,
            ChallengeResult,
            {
                "challenge_id": challenge_id,
                "due_at": now,
                "status": "pending",
                "attempts": 0,
                "created_at": now,
            },
            ["challenge_id"],
        )
    return True
