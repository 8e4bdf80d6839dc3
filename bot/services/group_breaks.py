"""Group break use cases behind `/stretch together`, `@Stretch Break stretch` and the I'm in and
Done buttons, and the paced refresh of an invitation's count (`refresh_invitation`), which the
buttons and the tick (`bot.jobs.group_breaks`) share."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.group_break import invitation
from bot.db.completions import record_completion
from bot.db.group_breaks import (
    add_participant,
    invitation_may_be_updated,
    invitation_state,
    mark_done,
    mark_invitation_dirty,
    open_in_channel,
)
from bot.db.languages import language_of_post
from bot.db.models import GroupBreak
from bot.db.people import ensure_workspace
from bot.db.workspace_defaults import channel_refusal
from bot.domain.clock import Clock
from bot.domain.content import localized
from bot.domain.group_breaks import (
    AlreadyOne,
    Answer,
    Counted,
    GroupBreakInputError,
    GroupBreakOutcome,
    Problem,
    Started,
    parse_delay,
    pick_for_group,
    timing,
)
from bot.domain.i18n import _, current_language, speaking
from bot.domain.people import SlackProfile, SlackUser
from bot.services.challenges import is_direct_message
from bot.services.use_cases import UseCases
from bot.slack.group_breaks import NotAMember, post_as_member, refusal_for_channel

logger = logging.getLogger(__name__)


class GroupBreakService(UseCases):
    def start(
        self,
        who: SlackUser,
        channel_id: str,
        args: str,
        profile: SlackProfile,
        client: WebClient,
        *,
        thread_ts: str | None = None,
        requested_in: str | None = None,
    ) -> GroupBreakOutcome:
        """Invite the channel (or the thread `thread_ts`) to a group break; `requested_in` is
        the ts of the mention that asked, so that Slack delivering it again starts nothing."""
        if is_direct_message(channel_id):
            return Answer.DIRECT_MESSAGE
        try:
            delay = parse_delay(args)
        except GroupBreakInputError as problem:
            return Problem(str(problem))
        refused = refusal_for_channel(client, channel_id)
        if refused is not None:
            return refused
        now = self._clock.now()
        try:
            with self._sessions.begin() as session:
                starter = self._person(session, who, profile)
                workspace_id = ensure_workspace(session, who.team_id, who.enterprise_id, now)
                refused = channel_refusal(session, workspace_id, channel_id)
                if refused is not None:
                    return refused
                existing = open_in_channel(session, starter.workspace_id, channel_id)
                if existing is not None:
                    return _already(existing, requested_in)
                library = self._libraries.of_workspace(workspace_id, session)
                exercise = pick_for_group(library.exercises, f"{channel_id}:{now}")
                if exercise is None:
                    return Answer.NO_EXERCISE
                when = timing(now, delay, exercise.minutes)
                group_break = GroupBreak(
                    workspace_id=starter.workspace_id,
                    channel_id=channel_id,
                    thread_ts=thread_ts,
                    requested_in=requested_in,
                    started_by=who.user_id,
                    language=current_language(),  # the starter's, which the request speaks
                    exercise_id=exercise.id,
                    starts_at=when.starts_at,
                    closes_at=when.closes_at,
                    invitation_dirty=False,
                    created_at=now,
                    due_at=when.starts_at,
                    status="inviting",  # not claimable until the invitation is out
                    attempts=0,
                )
                session.add(group_break)
                session.flush()
                add_participant(session, group_break.id, starter.id, now)
                state = invitation_state(session, group_break)
        except IntegrityError:  # another request in this channel won the race
            return self._already_here(who, profile, channel_id, requested_in)
        try:
            posted = post_as_member(client, channel_id, invitation(state, now), thread_ts=thread_ts)
        except NotAMember:
            self._forget(state.group_break_id)
            return Answer.NOT_A_MEMBER
        except Exception:
            self._forget(state.group_break_id)  # nothing half-started blocks the channel
            raise
        with self._sessions.begin() as session:
            session.execute(
                update(GroupBreak)
                .where(GroupBreak.id == state.group_break_id, GroupBreak.status == "inviting")
                .values(status="pending", invitation_ts=posted["ts"], invitation_updated_at=now)
            )
        return Started(state.starts_at)

    def _already_here(
        self, who: SlackUser, profile: SlackProfile, channel_id: str, requested_in: str | None
    ) -> GroupBreakOutcome:
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            existing = open_in_channel(session, person.workspace_id, channel_id)
            return Answer.UNKNOWN if existing is None else _already(existing, requested_in)

    def _forget(self, group_break_id: int) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(GroupBreak).where(GroupBreak.id == group_break_id))

    def join(
        self,
        who: SlackUser,
        channel_id: str,
        group_break_id: int,
        profile: SlackProfile,
        client: WebClient,
    ) -> Answer:
        with self._sessions.begin() as session:
            group_break = self._in_channel(session, channel_id, group_break_id)
            if isinstance(group_break, Answer):
                return group_break
            if group_break.ended_at is not None:
                return Answer.UNKNOWN
            person = self._person(session, who, profile)
            joined = add_participant(session, group_break.id, person.id, self._clock.now())
        refresh_invitation(self._sessions, self._clock, client, group_break_id)
        return Answer.JOINED if joined else Answer.ALREADY_JOINED

    def done(
        self,
        who: SlackUser,
        channel_id: str,
        group_break_id: int,
        profile: SlackProfile,
        client: WebClient,
    ) -> Counted | Answer:
        """Count the person's Done once: in the group break's tally (joining them if needed)
        and as a personal Done, for progress and streak. Also after the close: a late Done is
        still a Done, and the closing count is refreshed."""
        now = self._clock.now()
        with self._sessions.begin() as session:
            group_break = self._in_channel(session, channel_id, group_break_id)
            if isinstance(group_break, Answer):
                return group_break
            if group_break.status != "posted":
                return Answer.NOT_STARTED
            person = self._person(session, who, profile)
            mark_done(session, group_break.id, person.id, now)
            new = record_completion(
                session, person, group_break.exercise_id, "together", str(group_break.id), now
            )
            library = self._libraries.of_workspace(group_break.workspace_id, session)
            exercise = library.exercise(group_break.exercise_id)
            title = localized(exercise).title if exercise else _("The group stretch")
        refresh_invitation(self._sessions, self._clock, client, group_break_id)
        return Counted(title, already_counted=not new)

    def _in_channel(
        self, session: Session, channel_id: str, group_break_id: int
    ) -> GroupBreak | Answer:
        """The group break a button names, if it runs in the channel the click came from: a
        button's row id is no secret, and a value replayed elsewhere must act on nothing. In a
        Slack Connect channel a guest counts as their own person, like a challenge's (README:
        Challenges and Slack Connect)."""
        group_break = session.get(GroupBreak, group_break_id)
        if group_break is None:
            return Answer.UNKNOWN
        if group_break.channel_id != channel_id:
            return Answer.OTHER_CHANNEL
        return group_break


def _already(existing: GroupBreak, requested_in: str | None) -> GroupBreakOutcome:
    if requested_in is not None and existing.requested_in == requested_in:
        return Answer.ALREADY_REQUESTED
    return AlreadyOne(existing.starts_at)


def refresh_invitation(
    sessions: sessionmaker[Session], clock: Clock, client: WebClient, group_break_id: int
) -> bool:
    """Update the invitation's message if its count changed and it was not updated in the last
    few seconds (`INVITATION_UPDATE_EVERY`); True when this call updated it.

    A compare-and-set on the row picks one updater among all clicks and instances; a change
    inside the window stays marked for the tick, which updates it once the window has passed."""
    now = clock.now()
    with sessions.begin() as session:
        won = session.execute(
            update(GroupBreak)
            .where(
                GroupBreak.id == group_break_id,
                invitation_may_be_updated(now),
            )
            .values(invitation_dirty=False, invitation_updated_at=now)
        ).rowcount
        if not won:
            return False
        group_break = session.get(GroupBreak, group_break_id)
        assert group_break is not None
        language = language_of_post(session, group_break.language, group_break.workspace_id)
        with speaking(language):
            message = invitation(invitation_state(session, group_break), now)
        channel, ts = group_break.channel_id, group_break.invitation_ts
    try:
        client.chat_update(channel=channel, ts=ts, **message.as_kwargs())
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.warning("invitation of group break %s not updated: %s", group_break_id, error)
        with sessions.begin() as session:
            mark_invitation_dirty(session, group_break_id)
        return False
    return True
