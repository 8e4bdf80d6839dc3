"""The group break part of the tick: post each group break's exercise in its invitation's thread
once, at the start; keep invitations' counts fresh, a few seconds apart; and close each group
break after its exercise and a grace period, with the final count on the invitation.

The exercise post is sent the way challenge days are (`bot.jobs.claimed_sends`): claimed with a
lease, paced within the workspace's budget, and carrying its group break id in message
metadata, so that a post reclaimed after a crash or restart first looks for itself among the
thread's replies. A start missed while the bot was down past the close is not posted late.
"""

from __future__ import annotations

import logging
from collections import Counter

from sqlalchemy import select

from bot.blocks.group_break import exercise_post
from bot.db.group_breaks import close, due_closes, due_refreshes
from bot.db.models import GroupBreak
from bot.domain.group_breaks import pick_for_group
from bot.domain.i18n import speaking
from bot.jobs.claimed_sends import ClaimedSends, Outcome
from bot.jobs.send_failures import SEND_ERRORS, SendFailure
from bot.services.group_breaks import refresh_invitation
from bot.slack.group_breaks import NotAMember, post_as_member
from bot.slack.posting import tagged

logger = logging.getLogger(__name__)

METADATA_EVENT = "stretch_group_break"


class GroupBreakPosts(ClaimedSends):
    """A tick step: posts due group break exercises, refreshes invitations, closes breaks."""

    name = "group breaks"
    model = GroupBreak

    def run(self) -> Counter[str]:
        done = self._send_due(select(GroupBreak), self._post_exercise)
        done["closed"] = self.close_finished()
        done["invitations updated"] = self.refresh_invitations()
        return done

    def _post_exercise(self, group_break: GroupBreak) -> Outcome:
        channel, workspace = group_break.channel_id, group_break.workspace_id
        thread = group_break.thread_ts or group_break.invitation_ts
        try:
            client = self._client_for(workspace)
            found = self._found(
                group_break, client, channel, METADATA_EVENT, "group_break_id", thread
            )
            if found:
                return self._posted(group_break, found)
            if self._clock.now() >= group_break.closes_at:
                return self._finish(group_break, "missed", "the bot was down at the start")
            library = self._libraries.of_workspace(workspace)
            exercise = library.exercise(group_break.exercise_id) or pick_for_group(
                library.exercises, str(group_break.id)
            )
            if exercise is None:
                return self._finish(group_break, "missed", "no exercise suits a group")
            with speaking(self._post_language(group_break.language, workspace)):
                post = exercise_post(group_break.id, exercise)
            posted = self._paced_post(
                group_break,
                workspace,
                channel,
                lambda: post_as_member(
                    client,
                    channel,
                    post,
                    thread_ts=thread,
                    metadata=tagged(METADATA_EVENT, "group_break_id", group_break.id),
                ),
            )
        except NotAMember:
            return self._finish(group_break, "missed", "the bot left the channel")
        except SEND_ERRORS as error:
            return self._send_failed(group_break, workspace, error)
        if isinstance(posted, Outcome):
            return posted
        return self._posted(group_break, posted["ts"])

    def _posted(self, group_break: GroupBreak, ts: str) -> Outcome:
        """Recorded as posted, and the invitation marked to say the break is on."""
        return self._finish(
            group_break,
            "posted",
            exercise_ts=ts,
            posted_at=self._clock.now(),
            invitation_dirty=True,
        )

    def _workspace_refused(self, group_break: GroupBreak, note: str) -> Outcome:
        return self._finish(group_break, "missed", note)  # a group break does not wait an hour

    def _refused(self, group_break: GroupBreak, failure: SendFailure) -> Outcome:
        return self._retry(group_break, failure.note)  # until the close, when it is missed

    def close_finished(self) -> int:
        now = self._clock.now()
        with self._sessions() as session:
            finished = due_closes(session, now)
        closed = 0
        for group_break_id in finished:
            with self._sessions.begin() as session:
                closed += close(session, group_break_id, now)
        return closed

    def refresh_invitations(self) -> int:
        with self._sessions() as session:
            due = due_refreshes(session, self._clock.now())
        return sum(self._refresh(group_break_id) for group_break_id in due)

    def _refresh(self, group_break_id: int) -> bool:
        with self._sessions() as session:
            group_break = session.get(GroupBreak, group_break_id)
            workspace = group_break.workspace_id if group_break else None
        if workspace is None:
            return False
        try:
            client = self._client_for(workspace)
        except SEND_ERRORS as error:
            logger.warning("group break %s: no client: %s", group_break_id, error)
            return False
        return refresh_invitation(self._sessions, self._clock, client, group_break_id)
