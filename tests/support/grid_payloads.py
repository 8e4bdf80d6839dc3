"""Enterprise Grid, org-wide install and Slack Connect payloads, shaped after Slack's own
captures in bolt-python's tests (Bolt's internals tests, `test_block_actions.py` and
`test_view_submission.py` — org only in `team.enterprise_id`, `view.app_installed_team_id` —
and `test_events_org_apps.py` — `authorizations` naming the org and no team) and the payload
types of bolt-js (`team: null` and `is_enterprise_install` for org-wide installs)."""

from __future__ import annotations

import time
from typing import Any

from tests.support.slack_payloads import TRIGGER_ID, block_action, slash_command

ORG = "E0001"
ORG_NAME = "Sandbox Org"


def grid_command(
    text: str, response_url: str, *, user: str, team: str, org_wide: bool = False, **extra: Any
) -> dict[str, Any]:
    """`/stretch` in a workspace of the org: `enterprise_id` beside `team_id`."""
    return slash_command(
        text,
        response_url,
        user=user,
        team=team,
        enterprise_id=ORG,
        enterprise_name=ORG_NAME,
        is_enterprise_install="true" if org_wide else "false",
        **extra,
    )


def grid_block_action(
    action_id: str, value: str, response_url: str, *, user: str, team: str, org_in: str, **extra
) -> dict[str, Any]:
    """A click in a workspace of the org, the org given as Slack has sent it:

    - ``"enterprise"``: `enterprise: {id, name}` and `team.enterprise_id` (a workspace install);
    - ``"team"``: only `team.enterprise_id`, no `enterprise` (bolt-python's Grid fixture);
    - ``"org-wide"``: `team: null`, `enterprise`, `is_enterprise_install: true`; the workspace
      only in `user.team_id`.
    """
    payload = block_action(action_id, value, response_url, user=user, team=team, **extra)
    grid_team = {**payload["team"], "enterprise_id": ORG, "enterprise_name": ORG_NAME}
    enterprise = {"id": ORG, "name": ORG_NAME}
    if org_in == "enterprise":
        return payload | {
            "team": grid_team,
            "enterprise": enterprise,
            "is_enterprise_install": False,
        }
    if org_in == "team":
        return payload | {"team": grid_team}
    if org_in == "org-wide":
        return payload | {"team": None, "enterprise": enterprise, "is_enterprise_install": True}
    raise ValueError(org_in)


def view_submission(
    callback_id: str,
    values: dict[str, Any],
    *,
    user: str,
    team: dict[str, Any] | None,
    user_team: str,
    view_team: str,
    installed_team: str | None,
    **extra: Any,
) -> dict[str, Any]:
    """A modal submitted: `team` as Slack sends it (null for an org-wide install), the person's
    own `user.team_id`, the view's `team_id` and `app_installed_team_id` (in a Slack Connect
    channel, the team of the installation the modal belongs to, not the person's)."""
    return {
        "type": "view_submission",
        "team": team,
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": user_team},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": TRIGGER_ID,
        "view": {
            "id": "V0001",
            "team_id": view_team,
            "type": "modal",
            "callback_id": callback_id,
            "state": {"values": values},
            "private_metadata": "",
            "hash": "1596530361.3wRYuk3R",
            "app_installed_team_id": installed_team,
        },
        "response_urls": [],
        **extra,
    }


def grid_event(
    event: dict[str, Any], *, team: str | None, org_wide: bool, **extra: Any
) -> dict[str, Any]:
    """An Events API delivery in a workspace of the org (`team=None`: an org-level event such
    as an org-wide uninstall). `authorizations` name the installation: for an org-wide one,
    the org and no team (bolt-python's `test_events_org_apps.py`)."""
    envelope = {
        "token": "legacy",
        "enterprise_id": ORG,
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": "Ev0001",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": ORG,
                "team_id": None if org_wide else team,
                "user_id": "UBOT",
                "is_bot": True,
                "is_enterprise_install": org_wide,
            }
        ],
        "is_ext_shared_channel": False,
        **extra,
    }
    if team is not None:
        envelope["team_id"] = team
    return envelope
