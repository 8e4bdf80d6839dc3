"""What a workspace's admin can do: choose the workspace's defaults, see the team's numbers.

Every use case asks Slack first whether the person is an admin of their workspace *now*
(`is_workspace_admin`), so a forged button or view submission from anyone else changes nothing,
and a demoted admin loses access at once. Each reads and writes only the asker's own workspace.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.db.people import ensure_workspace
from bot.db.team_view import team_numbers
from bot.db.workspace_defaults import defaults_of, store_defaults
from bot.domain.clock import Clock
from bot.domain.people import SlackUser
from bot.domain.team_view import TeamNumbers
from bot.domain.workspace_defaults import WorkspaceDefaults
from bot.slack.admins import is_workspace_admin


class NotAnAdmin(Exception):
    """The person is not an admin or owner of their Slack workspace: nothing was read or done."""


class AdminService:
    def __init__(
        self, sessions: sessionmaker[Session], clock: Clock, environment: WorkspaceDefaults
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._environment = environment  # what holds until an admin saves

    def defaults(self, client: WebClient, who: SlackUser) -> WorkspaceDefaults:
        """The defaults of the admin's workspace. Raises `NotAnAdmin`."""
        self._check(client, who)
        with self._sessions.begin() as session:
            workspace_id = _workspace_id(session, who, self._clock.now())
            return defaults_of(session, workspace_id, self._environment)

    def save_defaults(self, client: WebClient, who: SlackUser, chosen: WorkspaceDefaults) -> None:
        """Store the admin's choices for their workspace. Raises `NotAnAdmin`."""
        self._check(client, who)
        now = self._clock.now()
        with self._sessions.begin() as session:
            workspace_id = _workspace_id(session, who, now)
            store_defaults(session, workspace_id, chosen, who.user_id, now)

    def team(self, client: WebClient, who: SlackUser) -> TeamNumbers:
        """The admin's workspace's numbers, without anyone's own. Raises `NotAnAdmin`."""
        self._check(client, who)
        now = self._clock.now()
        with self._sessions.begin() as session:
            return team_numbers(session, _workspace_id(session, who, now), now)

    def home_section(self, client: WebClient, who: SlackUser) -> WorkspaceDefaults | None:
        """The defaults to show in an admin's Home tab, or None for everyone else."""
        try:
            return self.defaults(client, who)
        except NotAnAdmin:
            return None

    @staticmethod
    def _check(client: WebClient, who: SlackUser) -> None:
        if not is_workspace_admin(client, who.user_id):
            raise NotAnAdmin


def _workspace_id(session: Session, who: SlackUser, now: datetime) -> int:
    """The workspace the request came from: in Enterprise Grid, the one whose channel or Home
    tab it was, so each workspace of an org keeps its own defaults."""
    return ensure_workspace(session, who.team_id, who.enterprise_id, now)
