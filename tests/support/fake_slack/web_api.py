"""The Web API methods the app calls, answered from the workspace: nothing more.

Each takes the workspace, the call's parameters and its token, and returns the body to answer.
The app calls `auth.test` (at start and through Bolt), `chat.postMessage`, `chat.update`,
`chat.postEphemeral`, `conversations.open`, `conversations.join`, `conversations.history`,
`conversations.replies`, `conversations.info`, `users.info`, `dnd.info`, `users.getPresence`,
`views.publish`, `views.open`, the three steps of `files.uploadV2` (`files.getUploadURLExternal`,
the upload, `files.completeUploadExternal`), `apps.connections.open` (Socket Mode, with the
app-level token, at start and at each reconnect) and, in distribution mode, `oauth.v2.access`
(Bolt's OAuth flow and slack-sdk's token rotation). Any other method answers `unknown_method`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tests.support.fake_slack.wire import FILE_UPLOAD, RESPONSE_URL, Body, Params, error, ok
from tests.support.fake_slack.workspace import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    Workspace,
    channel_id,
    message_fields,
)

TEAM_NAME = "Fake Workspace"
WORKSPACE_URL = "https://fake-workspace.slack.com/"
INSTALLER_ID = "U0001"  # who installs the app through OAuth
BOT_SCOPES = "chat:write,commands,im:write,users:read,users.profile:read,dnd:read"

Method = Callable[[Workspace, Params, str | None], Body]


def auth_test(workspace: Workspace, params: Params, token: str | None) -> Body:
    """Who a token speaks for: a workspace, a workspace of a Grid org, or (a token issued for
    `E…`) a whole org, installed org-wide."""
    org = org_of(token) or workspace.org_of_team.get(team_of(token), "")
    org_wide = org_of(token) is not None
    return ok(
        url=WORKSPACE_URL,
        team=TEAM_NAME,
        user="stretchbot",
        team_id=org if org_wide else team_of(token),
        user_id=BOT_USER_ID,
        bot_id=BOT_ID,
        is_enterprise_install=org_wide,
        **({"enterprise_id": org} if org else {}),
    )


def chat_post_message(workspace: Workspace, params: Params, token: str | None) -> Body:
    channel = channel_id(str(params.get("channel", "")))
    problem = workspace.access_error(channel) or message_error(params)
    if problem:
        return error(problem)
    message = workspace.new_message(params)
    workspace.messages[channel].append(message)
    return ok(channel=channel, ts=message["ts"], message=message)


def chat_update(workspace: Workspace, params: Params, token: str | None) -> Body:
    channel = params.get("channel", "")
    message = workspace.find_message(channel, params.get("ts"))
    problem = message_error(params) if message else "message_not_found"
    if problem:
        return error(problem)
    message.update(message_fields(params))
    return ok(channel=channel, ts=message["ts"], text=message["text"], message=message)


def views_publish(workspace: Workspace, params: Params, token: str | None) -> Body:
    user_id = params.get("user_id", "")
    view = workspace.store_view(params["view"], workspace.homes.get(user_id))
    workspace.homes[user_id] = view["id"]
    return ok(view=view)


def views_open(workspace: Workspace, params: Params, token: str | None) -> Body:
    if not params.get("trigger_id") and not params.get("interactivity_pointer"):
        return error("invalid_arguments")
    return ok(view=workspace.store_view(params["view"], None))


def users_info(workspace: Workspace, params: Params, token: str | None) -> Body:
    """The user; their `locale` only when asked with `include_locale`, as Slack does."""
    user = workspace.users.get(params.get("user", ""))
    include_locale = str(params.get("include_locale", "")).lower() in ("1", "true")
    return ok(user=user.to_api(include_locale)) if user else error("user_not_found")


def dnd_info(workspace: Workspace, params: Params, token: str | None) -> Body:
    user = workspace.users.get(params.get("user", BOT_USER_ID))
    if user is None:
        return error("user_not_found")
    return ok(
        dnd_enabled=user.dnd_enabled,
        next_dnd_start_ts=user.next_dnd_start_ts,
        next_dnd_end_ts=user.next_dnd_end_ts,
    )


def users_get_presence(workspace: Workspace, params: Params, token: str | None) -> Body:
    user = workspace.users.get(params.get("user", ""))
    return ok(presence=user.presence) if user else error("user_not_found")


def conversations_open(workspace: Workspace, params: Params, token: str | None) -> Body:
    users = str(params.get("users", ""))
    if not users.startswith(("U", "W")) or "," in users:
        return error("fake_slack_supports_one_user_dms_only")
    return ok(channel={"id": channel_id(users)})


def conversations_join(workspace: Workspace, params: Params, token: str | None) -> Body:
    channel = workspace.channels.get(params.get("channel", ""))
    if channel is None:
        return error("channel_not_found")
    channel["is_member"] = True
    return ok(channel=channel)


def conversations_info(workspace: Workspace, params: Params, token: str | None) -> Body:
    channel = workspace.visible_channel(params.get("channel", ""))
    return ok(channel=channel) if channel else error("channel_not_found")


def chat_post_ephemeral(workspace: Workspace, params: Params, token: str | None) -> Body:
    """Shown to one user only: recorded as a call, never stored in the channel."""
    channel = params.get("channel", "")
    problem = workspace.access_error(channel) or message_error(params)
    return error(problem) if problem else ok(message_ts=workspace.next_ts())


def conversations_history(workspace: Workspace, params: Params, token: str | None) -> Body:
    """The channel's messages, newest first; replies in threads are not among them (as in
    Slack, unless broadcast): conversations.replies lists those."""
    channel = params.get("channel", "")
    problem = workspace.access_error(channel)
    if problem:
        return error(problem)
    found = [
        m
        for m in reversed(workspace.messages[channel])
        if in_range(m["ts"], params) and m.get("thread_ts", m["ts"]) == m["ts"]
    ]
    return history_page(found, params)


def conversations_replies(workspace: Workspace, params: Params, token: str | None) -> Body:
    """A thread: its parent message, then its replies, oldest first."""
    channel, thread = params.get("channel", ""), params.get("ts")
    problem = workspace.access_error(channel)
    if problem:
        return error(problem)
    found = [
        m
        for m in workspace.messages[channel]
        if in_range(m["ts"], params) and thread in (m["ts"], m.get("thread_ts"))
    ]
    if not found:
        return error("thread_not_found")
    return history_page(found, params)


def history_page(found: list[Body], params: Params) -> Body:
    limit = int(params.get("limit", 100))
    with_metadata = flag(params.get("include_all_metadata"))
    messages = [history_entry(m, with_metadata) for m in found[:limit]]
    return ok(messages=messages, has_more=len(found) > limit, pin_count=0)


def oauth_v2_access(workspace: Workspace, params: Params, token: str | None) -> Body:
    serial = next(workspace.serials)
    if params.get("grant_type") == "refresh_token":
        team = team_of(params.get("refresh_token"))
        return installation(team) | {
            "access_token": f"xoxe.xoxb-{team}-{serial}",
            "refresh_token": f"xoxe-1-{team}-{serial}",
            "expires_in": 43200,
        }
    if not params.get("code"):
        return error("invalid_code")
    team = workspace.install_teams.popleft() if workspace.install_teams else TEAM_ID
    answer = installation(team, workspace.org_of_team.get(team, "")) | {
        "access_token": f"xoxb-{team}-{serial}",
        "authed_user": {"id": INSTALLER_ID},
    }
    if workspace.rotating_tokens:  # token rotation on: a short-lived token and a refresh token
        answer |= {"refresh_token": f"xoxe-1-{team}-{serial}", "expires_in": 60}
    return answer


def apps_connections_open(workspace: Workspace, params: Params, token: str | None) -> Body:
    """Only an app-level token opens a Socket Mode connection, at a URL that leads nowhere unless
    a fake Socket Mode endpoint is wired in (`FakeSlack.serve_socket_mode`)."""
    if not (token or "").startswith("xapp-"):
        return error("not_allowed_token_type")
    return ok(url=workspace.socket_mode_url())


def response_url(workspace: Workspace, params: Params, token: str | None) -> Body:
    return ok()


def files_get_upload_url_external(workspace: Workspace, params: Params, token: str | None) -> Body:
    if not params.get("filename") or not str(params.get("length", "")).isdigit():
        return error("invalid_arguments")
    file_id = f"F{next(workspace.serials):06d}"
    workspace.files[file_id] = {"id": file_id, "name": params["filename"], "content": None}
    return ok(upload_url=f"{workspace.origin}/upload/{file_id}", file_id=file_id)


def file_upload(workspace: Workspace, params: Params, token: str | None) -> Body:
    uploaded = workspace.files.get(params["file_id"])
    if uploaded is None:
        return error("file_not_found")
    uploaded["content"] = params["content"]
    return ok()


def files_complete_upload_external(workspace: Workspace, params: Params, token: str | None) -> Body:
    """Shares the uploaded files in `channel_id`, with `initial_comment` as the message."""
    try:
        listed = json.loads(str(params.get("files", "")))
    except ValueError:
        return error("invalid_arguments")
    channel = str(params.get("channel_id") or "")
    problem = workspace.access_error(channel) if channel else None
    if problem:
        return error(problem)
    shared = []
    for entry in listed:
        uploaded = workspace.files.get(entry.get("id", ""))
        if uploaded is None or uploaded["content"] is None:
            return error("file_not_found")
        uploaded |= {"title": entry.get("title") or uploaded["name"], "channel": channel}
        shared.append({k: v for k, v in uploaded.items() if k != "content"})
    if channel:
        message = workspace.new_message({"text": params.get("initial_comment") or ""})
        message["files"] = shared
        workspace.messages[channel].append(message)
    return ok(files=shared)


METHODS: dict[str, Method] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "views.publish": views_publish,
    "views.open": views_open,
    "users.info": users_info,
    "dnd.info": dnd_info,
    "users.getPresence": users_get_presence,
    "conversations.open": conversations_open,
    "conversations.join": conversations_join,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "conversations.info": conversations_info,
    "oauth.v2.access": oauth_v2_access,
    "apps.connections.open": apps_connections_open,
    RESPONSE_URL: response_url,
    "files.getUploadURLExternal": files_get_upload_url_external,
    FILE_UPLOAD: file_upload,
    "files.completeUploadExternal": files_complete_upload_external,
}
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral", RESPONSE_URL})
VIEW_METHODS = frozenset({"views.publish", "views.open"})
TOKENLESS_METHODS = frozenset({"oauth.v2.access", RESPONSE_URL, FILE_UPLOAD})


def installation(team: str, org: str = "") -> Body:
    """oauth.v2.access's answer for a workspace (`T…`, of `org` if given) or, for `E…`, an
    org-wide install: no team, the org, `is_enterprise_install`."""
    if team.startswith("E"):
        return ok(
            app_id=APP_ID,
            scope=BOT_SCOPES,
            token_type="bot",
            bot_user_id=BOT_USER_ID,
            team=None,
            enterprise={"id": team, "name": f"Org {team}"},
            is_enterprise_install=True,
        )
    return ok(
        app_id=APP_ID,
        scope=BOT_SCOPES,
        token_type="bot",
        bot_user_id=BOT_USER_ID,
        team={"id": team, "name": f"Workspace {team}"},
        enterprise={"id": org, "name": f"Org {org}"} if org else None,
        is_enterprise_install=False,
    )


def _id_in(token: str | None, prefix: str) -> str | None:
    for part in (token or "").split("-"):
        if part.startswith(prefix) and part[1:].isalnum():
            return part
    return None


def team_of(token: str | None) -> str:
    """The team a token was issued for ("xoxb-T0002-5" → "T0002"); the default team otherwise."""
    return _id_in(token, "T") or TEAM_ID


def org_of(token: str | None) -> str | None:
    """The org a token was issued for org-wide ("xoxb-E0001-5" → "E0001"), else None."""
    return _id_in(token, "E")


def message_error(params: Params) -> str | None:
    """Slack's own checks of a message body, besides the Block Kit limits."""
    if not any(params.get(name) for name in ("text", "blocks", "attachments")):
        return "no_text"
    metadata = params.get("metadata")
    if metadata is None:
        return None
    well_formed = isinstance(metadata, dict) and isinstance(metadata.get("event_type"), str)
    if not well_formed or not isinstance(metadata.get("event_payload"), dict):
        return "invalid_metadata_format"
    return None


def history_entry(message: Body, with_metadata: bool) -> Body:
    if with_metadata:
        return message
    return {key: value for key, value in message.items() if key != "metadata"}


def in_range(ts: str, params: Params) -> bool:
    """conversations.history's window: after `oldest`, before `latest` (or at, if inclusive)."""
    moment = Decimal(ts)
    oldest = Decimal(str(params.get("oldest", 0)))
    latest = Decimal(str(params["latest"])) if "latest" in params else None
    if flag(params.get("inclusive")):
        return moment >= oldest and (latest is None or moment <= latest)
    return moment > oldest and (latest is None or moment < latest)


def flag(value: Any) -> bool:
    """A boolean parameter: JSON true, or the "1"/"true"/"True" a form body carries."""
    return str(value).lower() in ("1", "true")
