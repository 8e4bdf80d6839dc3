"""Which bot token speaks for which workspace, and when a workspace stops being served.

In single-workspace mode every call uses the one configured token. In distribution mode each
workspace's bot token comes from slack-sdk's installation store (filled by the OAuth flow);
scheduled work, which runs outside any request, looks it up here and rotates it before it
expires. A workspace that uninstalls the app, or whose token Slack refuses, is marked
inactive: no nudges, posts or summaries until it is installed again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Workspace
from bot.db.workspaces import set_org_active, set_workspace_active
from bot.domain.clock import Clock

logger = logging.getLogger(__name__)

# Slack errors that mean the token itself is no good: stop, don't retry forever.
TOKEN_REFUSED = {
    "invalid_auth",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "not_authed",
    "team_access_not_granted",
}
ROTATE_MINUTES_BEFORE_EXPIRY = 120


class WorkspaceUnavailable(Exception):
    """No usable token for the workspace (uninstalled or revoked)."""


class ActivatingInstallationStore(SQLAlchemyInstallationStore):
    """slack-sdk's store, plus: an installation (or reinstallation) makes its workspace active
    again, with everyone's progress as they left it."""

    def __init__(
        self, client_id: str, engine, sessions: sessionmaker[Session], clock: Clock
    ) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self._sessions = sessions
        self._clock = clock

    def save(self, installation: Installation) -> None:
        super().save(installation)
        if installation.is_enterprise_install and installation.enterprise_id:
            set_org_active(self._sessions, installation.enterprise_id, True)
            return
        set_workspace_active(
            self._sessions,
            installation.team_id or "",
            installation.enterprise_id or "",
            True,
            self._clock.now(),
        )


class WorkspaceClients:
    """A Web API client per workspace, made by `make_client(token)`."""

    def __init__(
        self,
        make_client: Callable[[str | None], WebClient],
        sessions: sessionmaker[Session],
        *,
        single_token: str | None = None,
        store: SQLAlchemyInstallationStore | None = None,
        rotator: TokenRotator | None = None,
    ) -> None:
        self._make_client = make_client
        self._sessions = sessions
        self._single = make_client(single_token) if single_token else None
        self._store = store
        self._rotator = rotator
        self._lock = threading.Lock()
        self._by_token: dict[str, WebClient] = {}

    def for_workspace(self, workspace_id: int) -> WebClient:
        if self._single is not None:
            return self._single
        with self._sessions() as session:
            workspace = session.get(Workspace, workspace_id)
        if workspace is None:
            raise WorkspaceUnavailable(f"workspace {workspace_id} is unknown")
        return self.for_team(workspace.team_id, workspace.enterprise_id)

    def for_team(self, team_id: str, enterprise_id: str = "") -> WebClient:
        if self._single is not None:
            return self._single
        assert self._store is not None
        bot = self._store.find_bot(enterprise_id=enterprise_id or None, team_id=team_id)
        if bot is None and enterprise_id:  # the org's org-wide install serves every workspace
            bot = self._store.find_bot(enterprise_id=enterprise_id, team_id=None)
        if bot is None or not bot.bot_token:
            raise WorkspaceUnavailable(f"no installation for team {team_id}")
        if self._rotator is not None and bot.bot_refresh_token:
            rotated = self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
            )
            if rotated is not None:
                self._store.save_bot(rotated)
                bot = rotated
        with self._lock:
            client = self._by_token.get(bot.bot_token)
            if client is None:
                client = self._by_token[bot.bot_token] = self._make_client(bot.bot_token)
            return client

    def uninstalled(
        self, team_id: str, enterprise_id: str, now: datetime, *, org_wide: bool = False
    ) -> None:
        """`app_uninstalled` / bot `tokens_revoked`: forget the tokens, stop scheduled work.
        People's progress stays, for when the workspace installs the app again.

        An org-wide uninstall (the event names the org and no team) deletes the org's tokens,
        stored with a NULL team, and stops every workspace of the org but those installed on
        their own."""
        if org_wide or not team_id:
            if not enterprise_id:  # names neither a team nor an org: nothing to stop
                return
            if self._store is not None:
                self._store.delete_all(enterprise_id=enterprise_id, team_id=None)
            set_org_active(
                self._sessions, enterprise_id, False, self._teams_installed_in(enterprise_id)
            )
            return
        if self._store is not None:
            self._store.delete_all(enterprise_id=enterprise_id or None, team_id=team_id)
        set_workspace_active(self._sessions, team_id, enterprise_id, False, now)

    def _teams_installed_in(self, enterprise_id: str) -> frozenset[str]:
        """The org's workspaces that have an installation of their own."""
        if self._store is None:
            return frozenset()
        with self._sessions() as session:
            teams = session.scalars(
                select(Workspace.team_id).where(Workspace.enterprise_id == enterprise_id)
            ).all()
        return frozenset(
            team
            for team in teams
            if self._store.find_bot(enterprise_id=enterprise_id, team_id=team) is not None
        )
