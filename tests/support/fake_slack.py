"""A fake Slack Web API for tests: a stdlib HTTP server on 127.0.0.1 that records every call.

Point a client at it with ``WebClient(base_url=fake.base_url)`` (or ``SLACK_API_URL``). It answers
the Web API methods the app uses from a small in-memory workspace (users, channels, messages,
views), reads form and JSON bodies as slack_sdk sends them, and:

- rejects messages and views that break the Block Kit limits of
  ``tests/support/slack_limits.py`` with ``invalid_blocks`` and records them in ``.rejections``;
- injects faults: 429 with ``Retry-After``, 5xx, Slack errors and slow answers (``fail_next``,
  ``set_error``), and rate limits (``enforce_channel_rate``, ``budget``);
- takes Bolt's ``respond()`` posts on ``response_url(name)``, recorded as method ``"response_url"``.

It is strict where Slack is: calls need a token (except ``oauth.v2.access``), unknown users give
``user_not_found``, channels other than DMs exist only after ``add_channel``, and a channel the
bot is not a member of gives ``not_in_channel`` until ``conversations.join``. Posting to a user id
goes to the DM channel ``"D" + user_id[1:]``.

    with FakeSlack() as fake:
        fake.add_user("U1", tz="Asia/Kathmandu")
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        client.chat_postMessage(channel="U1", text="Time to stretch")
        assert fake.messages("U1")[0]["text"] == "Time to stretch"
"""

import base64
import copy
import itertools
import json
import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from tests.support.slack_limits import message_problems, view_problems

TEAM_ID = "T0001"
TEAM_NAME = "Fake Workspace"
WORKSPACE_URL = "https://fake-workspace.slack.com/"
BOT_USER_ID = "UBOT"
BOT_ID = "B0001"
APP_ID = "A0001"
INSTALLER_ID = "U0001"
BOT_SCOPES = "chat:write,commands,im:write,users:read,users.profile:read,dnd:read"

RESPONSE_URL = "response_url"
"""The method name under which posts to a response_url are recorded."""

JSON_FIELDS = ("blocks", "metadata", "view", "attachments")
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral", RESPONSE_URL})
VIEW_METHODS = frozenset({"views.publish", "views.open", "views.update"})
TOKENLESS_METHODS = frozenset({"oauth.v2.access", RESPONSE_URL})

Params = dict[str, Any]
Body = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One request the fake answered: its parameters (JSON fields decoded) and the answer."""

    method: str
    params: Params
    token: str | None
    status: int = 200
    response: Body = field(default_factory=dict)
    path: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass(frozen=True)
class Rejection:
    """A message or view refused for breaking Block Kit limits."""

    method: str
    errors: list[str]
    params: Params


@dataclass
class FakeUser:
    """A workspace member, as users.info, users.profile.get, dnd.info and presence show them."""

    id: str
    tz: str = "Europe/Berlin"
    team_id: str = TEAM_ID
    name: str = ""
    real_name: str = ""
    status_text: str = ""
    status_emoji: str = ""
    status_expiration: int = 0
    huddle_state: str = "default_unset"
    presence: str = "active"
    deleted: bool = False
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    is_restricted: bool = False
    dnd_enabled: bool = False
    next_dnd_start_ts: int = 1
    next_dnd_end_ts: int = 1

    def profile(self) -> Body:
        return {
            "real_name": self.real_name,
            "display_name": self.name,
            "status_text": self.status_text,
            "status_emoji": self.status_emoji,
            "status_expiration": self.status_expiration,
            "huddle_state": self.huddle_state,
            "huddle_state_expiration_ts": 0,
            "team": self.team_id,
        }

    def to_api(self) -> Body:
        now = datetime.now(ZoneInfo(self.tz))
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name or self.id.lower(),
            "real_name": self.real_name,
            "deleted": self.deleted,
            "tz": self.tz,
            "tz_label": now.tzname(),
            "tz_offset": int(now.utcoffset().total_seconds()),
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_bot": self.is_bot,
            "is_restricted": self.is_restricted,
            "is_app_user": False,
            "profile": self.profile(),
        }


@dataclass(frozen=True)
class _Reply:
    body: Body
    status: int = 200
    retry_after: int | None = None


@dataclass(frozen=True)
class _Request:
    method: str
    params: Params
    token: str | None
    path: str


@dataclass(frozen=True)
class _Fault:
    """An injected answer: wait `delay` seconds, then a Slack error, an HTTP status, or normal."""

    status: int | None
    retry_after: int
    error: str | None
    delay: float

    def reply(self) -> _Reply | None:
        if self.error is not None:
            return _Reply(_error(self.error))
        if self.status is None:
            return None
        return _status_reply(self.status, self.retry_after)


class _Window:
    """A sliding-window rate limit: at most `limit` events in any `seconds`."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more event is allowed (0 when it is allowed now)."""
        while self._times and now - self._times[0] >= self.seconds:
            self._times.popleft()
        if len(self._times) < self.limit:
            return 0.0
        return self.seconds - (now - self._times[0])

    def record(self, now: float) -> None:
        self._times.append(now)


class FakeSlack:
    """The fake Web API server and the workspace it serves; see the module docstring."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._last_ts = 0
        self._install_teams: deque[str] = deque()
        self.rotating_tokens = False  # when True, installs hand out expiring tokens
        self._calls: list[Call] = []
        self._rejections: list[Rejection] = []
        self._faults: defaultdict[str, deque[_Fault]] = defaultdict(deque)
        self._errors: dict[str, str] = {}
        self._budgets: dict[str | None, _Window] = {}
        self._channel_rate: float | None = None
        self._channel_windows: dict[str, _Window] = {}
        self._users: dict[str, FakeUser] = {}
        self._channels: dict[str, Body] = {}
        self._messages: defaultdict[str, list[Body]] = defaultdict(list)
        self._views: dict[str, Body] = {}
        self._homes: dict[str, str] = {}
        self._api: dict[str, Callable[[Params], Body]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "views.publish": self._views_publish,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "users.info": self._users_info,
            "users.profile.get": self._users_profile_get,
            "users.getPresence": self._users_get_presence,
            "dnd.info": self._dnd_info,
            "conversations.open": self._conversations_open,
            "conversations.join": self._conversations_join,
            "conversations.info": self._conversations_info,
            "conversations.history": self._conversations_history,
            "oauth.v2.access": self._oauth_v2_access,
            "apps.uninstall": lambda params: _ok(),
            RESPONSE_URL: lambda params: _ok(),
        }

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> "FakeSlack":
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # how quickly stop() returns
            name="fake-slack",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # ends injected delays early
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The Web API base URL, for ``WebClient(base_url=...)`` or ``SLACK_API_URL``."""
        return f"{self._origin()}/api/"

    def response_url(self, name: str) -> str:
        """A response_url whose posts are recorded as calls to ``"response_url"``."""
        return f"{self._origin()}/response/{name}"

    def _origin(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- the workspace -----------------------------------------------------------------------

    def add_user(self, user_id: str, **fields: Any) -> FakeUser:
        """Adds (or replaces) a member; `fields` are those of `FakeUser`."""
        user = FakeUser(id=user_id, **fields)
        with self._lock:
            self._users[user_id] = user
        return user

    def update_user(self, user_id: str, **changes: Any) -> FakeUser:
        """Changes some fields of a member added before, e.g. ``status_emoji=":palm_tree:"``."""
        with self._lock:
            if user_id not in self._users:
                raise KeyError(f"unknown user {user_id}: add_user() first")
            self._users[user_id] = replace(self._users[user_id], **changes)
            return self._users[user_id]

    def set_dnd(
        self, user_id: str, enabled: bool, next_start_ts: int = 1, next_end_ts: int = 1
    ) -> FakeUser:
        """Sets what dnd.info reports for a member (default: disabled)."""
        return self.update_user(
            user_id,
            dnd_enabled=enabled,
            next_dnd_start_ts=next_start_ts,
            next_dnd_end_ts=next_end_ts,
        )

    def install_as(self, team_id: str) -> None:
        """The next OAuth code exchange installs the app in `team_id` (default: T0001)."""
        with self._lock:
            self._install_teams.append(team_id)

    def add_channel(
        self, channel_id: str, *, name: str = "general", is_member: bool = True
    ) -> None:
        """Adds a channel; with ``is_member=False`` posts get ``not_in_channel`` until joined."""
        with self._lock:
            self._channels[channel_id] = {
                "id": channel_id,
                "name": name,
                "is_channel": True,
                "is_im": False,
                "is_member": is_member,
            }

    # -- fault injection ---------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = 429,
        retry_after: int = 1,
        error: str | None = None,
        times: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Makes the next `times` calls to `method` fail; queued faults are used in order.

        Each waits `delay` seconds, then answers the Slack `error` (HTTP 200) if given, else
        HTTP `status` (429 carries ``Retry-After: retry_after``). With ``status=None`` and no
        error the call is then answered normally: a slow success, for client timeouts.
        """
        fault = _Fault(status=status, retry_after=retry_after, error=error, delay=delay)
        with self._lock:
            self._faults[method].extend([fault] * times)

    def set_error(self, method: str, error: str) -> None:
        """Makes every call to `method` answer the Slack `error` until `clear_errors()`."""
        with self._lock:
            self._errors[method] = error

    def faults_left(self, method: str) -> int:
        """How many faults queued by `fail_next` for `method` are not used yet."""
        with self._lock:
            return len(self._faults.get(method, ()))

    def clear_errors(self) -> None:
        """Drops persistent errors and faults not yet used."""
        with self._lock:
            self._errors.clear()
            self._faults.clear()

    def enforce_channel_rate(self, per_second: float = 1) -> None:
        """Answers chat.postMessage with 429 when a channel gets more than this per second."""
        with self._lock:
            self._channel_rate = per_second
            self._channel_windows.clear()

    def budget(self, per_minute: int, *, method: str | None = None) -> None:
        """Answers 429 beyond `per_minute` calls, to `method` or (None) to all Web API methods."""
        with self._lock:
            self._budgets[method] = _Window(per_minute, 60.0)

    # -- assertions --------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    @property
    def rejections(self) -> list[Rejection]:
        with self._lock:
            return list(self._rejections)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def last_call(self, method: str) -> Call:
        calls = self.calls_to(method)
        if not calls:
            raise AssertionError(f"no {method} call was recorded")
        return calls[-1]

    def messages(self, channel: str) -> list[Body]:
        """The messages now in a channel (or a user's DM), oldest first."""
        with self._lock:
            return copy.deepcopy(self._messages.get(_channel_id(channel), []))

    def home(self, user_id: str) -> Body | None:
        """The Home tab view last published for a user."""
        with self._lock:
            view_id = self._homes.get(user_id)
            return copy.deepcopy(self._views[view_id]) if view_id else None

    def reset(self) -> None:
        """Forgets recorded calls and rejections; the workspace and its messages stay."""
        with self._lock:
            self._calls.clear()
            self._rejections.clear()

    # -- answering ---------------------------------------------------------------------------

    def answer(self, request: _Request) -> _Reply:
        """Answers one request and records it (called by the HTTP handler threads)."""
        with self._lock:
            faults = self._faults.get(request.method)
            fault = faults.popleft() if faults else None
        if fault is not None and fault.delay:
            self._stopping.wait(fault.delay)
        with self._lock:
            reply = fault.reply() if fault else None
            reply = reply or self._refusal(request) or self._dispatch(request)
            self._calls.append(
                Call(
                    method=request.method,
                    params=request.params,
                    token=request.token,
                    status=reply.status,
                    response=reply.body,
                    path=request.path,
                )
            )
        return reply

    def _refusal(self, request: _Request) -> _Reply | None:
        if request.method in self._errors:
            return _Reply(_error(self._errors[request.method]))
        if request.token is None and request.method not in TOKENLESS_METHODS:
            return _Reply(_error("not_authed"))
        return self._rate_limited(request) or self._invalid(request)

    def _rate_limited(self, request: _Request) -> _Reply | None:
        if request.method == RESPONSE_URL:
            return None
        windows = [self._budgets.get(None), self._budgets.get(request.method)]
        if request.method == "chat.postMessage" and self._channel_rate is not None:
            channel = _channel_id(str(request.params.get("channel")))
            rate = self._channel_rate
            windows.append(self._channel_windows.setdefault(channel, _Window(rate, 1.0)))
        windows = [window for window in windows if window is not None]
        now = time.monotonic()
        wait = max((window.wait(now) for window in windows), default=0.0)
        if wait > 0:
            return _status_reply(429, max(1, math.ceil(wait)))
        for window in windows:
            window.record(now)
        return None

    def _invalid(self, request: _Request) -> _Reply | None:
        if request.method in MESSAGE_METHODS:
            problems = message_problems(request.params)
        elif request.method in VIEW_METHODS:
            problems = view_problems(request.params.get("view"))
        else:
            return None
        if not problems:
            return None
        self._rejections.append(Rejection(request.method, problems, request.params))
        status = 400 if request.method == RESPONSE_URL else 200
        return _Reply(_error("invalid_blocks", errors=problems), status)

    def _dispatch(self, request: _Request) -> _Reply:
        if request.method == "auth.test":  # the only answer that depends on whose token it is
            return _Reply(self._auth_test(request.params, request.token))
        handler = self._api.get(request.method)
        body = handler(request.params) if handler else _error("unknown_method")
        return _Reply(copy.deepcopy(body))

    # -- Web API methods ---------------------------------------------------------------------

    def _auth_test(self, params: Params, token: str | None = None) -> Body:
        return _ok(
            url=WORKSPACE_URL,
            team=TEAM_NAME,
            user="stretchbot",
            team_id=_team_of(token),
            user_id=BOT_USER_ID,
            bot_id=BOT_ID,
            is_enterprise_install=False,
        )

    def _chat_post_message(self, params: Params) -> Body:
        channel = _channel_id(str(params.get("channel", "")))
        error = self._access_error(channel) or _message_error(params)
        if error:
            return _error(error)
        message = self._new_message(params)
        self._messages[channel].append(message)
        return _ok(channel=channel, ts=message["ts"], message=message)

    def _chat_update(self, params: Params) -> Body:
        channel = params.get("channel", "")
        message = self._find_message(channel, params.get("ts"))
        error = _message_error(params) if message else "message_not_found"
        if error:
            return _error(error)
        message.update(_message_fields(params))
        return _ok(channel=channel, ts=message["ts"], text=message["text"], message=message)

    def _chat_post_ephemeral(self, params: Params) -> Body:
        error = self._access_error(_channel_id(str(params.get("channel", ""))))
        if error or params.get("user") is None:
            return _error(error or "user_not_in_channel")
        return _ok(message_ts=self._next_ts())

    def _chat_delete(self, params: Params) -> Body:
        channel = params.get("channel", "")
        message = self._find_message(channel, params.get("ts"))
        if message is None:
            return _error("message_not_found")
        self._messages[channel].remove(message)
        return _ok(channel=channel, ts=message["ts"])

    def _chat_get_permalink(self, params: Params) -> Body:
        channel = params.get("channel", "")
        message = self._find_message(channel, params.get("message_ts"))
        if message is None:
            return _error("message_not_found")
        permalink = f"{WORKSPACE_URL}archives/{channel}/p{message['ts'].replace('.', '')}"
        return _ok(channel=channel, permalink=permalink)

    def _views_publish(self, params: Params) -> Body:
        user_id = params.get("user_id", "")
        view = self._store_view(params["view"], self._homes.get(user_id))
        self._homes[user_id] = view["id"]
        return _ok(view=view)

    def _views_open(self, params: Params) -> Body:
        if not params.get("trigger_id") and not params.get("interactivity_pointer"):
            return _error("invalid_arguments")
        return _ok(view=self._store_view(params["view"], None))

    def _views_update(self, params: Params) -> Body:
        current = self._find_view(params.get("view_id"), params.get("external_id"))
        if current is None:
            return _error("not_found")
        if params.get("hash") not in (None, current["hash"]):
            return _error("hash_conflict")
        return _ok(view=self._store_view(params["view"], current["id"]))

    def _users_info(self, params: Params) -> Body:
        user = self._users.get(params.get("user", ""))
        return _ok(user=user.to_api()) if user else _error("user_not_found")

    def _users_profile_get(self, params: Params) -> Body:
        user = self._users.get(params.get("user", BOT_USER_ID))
        return _ok(profile=user.profile()) if user else _error("user_not_found")

    def _users_get_presence(self, params: Params) -> Body:
        user = self._users.get(params.get("user", BOT_USER_ID))
        return _ok(presence=user.presence) if user else _error("user_not_found")

    def _dnd_info(self, params: Params) -> Body:
        user = self._users.get(params.get("user", BOT_USER_ID))
        if user is None:
            return _error("user_not_found")
        return _ok(
            dnd_enabled=user.dnd_enabled,
            next_dnd_start_ts=user.next_dnd_start_ts,
            next_dnd_end_ts=user.next_dnd_end_ts,
        )

    def _conversations_open(self, params: Params) -> Body:
        users = str(params.get("users", ""))
        if not users.startswith("U") or "," in users:
            return _error("fake_slack_supports_one_user_dms_only")
        return _ok(channel={"id": _channel_id(users)})

    def _conversations_join(self, params: Params) -> Body:
        channel = self._channels.get(params.get("channel", ""))
        if channel is None:
            return _error("channel_not_found")
        channel["is_member"] = True
        return _ok(channel=channel)

    def _conversations_info(self, params: Params) -> Body:
        channel = self._channel(params.get("channel", ""))
        return _ok(channel=channel) if channel else _error("channel_not_found")

    def _conversations_history(self, params: Params) -> Body:
        channel_id = params.get("channel", "")
        error = self._access_error(channel_id)
        if error:
            return _error(error)
        found = [m for m in reversed(self._messages[channel_id]) if _in_range(m["ts"], params)]
        limit = int(params.get("limit", 100))
        with_metadata = _flag(params.get("include_all_metadata"))
        messages = [_history_entry(m, with_metadata) for m in found[:limit]]
        return _ok(messages=messages, has_more=len(found) > limit, pin_count=0)

    def _oauth_v2_access(self, params: Params) -> Body:
        serial = next(self._ids)
        if params.get("grant_type") == "refresh_token":
            team = _team_of(params.get("refresh_token"))
            return self._installation(team) | {
                "access_token": f"xoxe.xoxb-{team}-{serial}",
                "refresh_token": f"xoxe-1-{team}-{serial}",
                "expires_in": 43200,
            }
        if not params.get("code"):
            return _error("invalid_code")
        team = self._install_teams.popleft() if self._install_teams else TEAM_ID  # lock held
        answer = self._installation(team) | {
            "access_token": f"xoxb-{team}-{serial}",
            "authed_user": {"id": INSTALLER_ID},
        }
        if self.rotating_tokens:  # token rotation on: a short-lived token and a refresh token
            answer |= {"refresh_token": f"xoxe-1-{team}-{serial}", "expires_in": 60}
        return answer

    @staticmethod
    def _installation(team: str) -> Body:
        return _ok(
            app_id=APP_ID,
            scope=BOT_SCOPES,
            token_type="bot",
            bot_user_id=BOT_USER_ID,
            team={"id": team, "name": f"Workspace {team}"},
            enterprise=None,
            is_enterprise_install=False,
        )

    # -- workspace internals -----------------------------------------------------------------

    def _channel(self, channel_id: str) -> Body | None:
        if channel_id.startswith("D"):
            user_id = "U" + channel_id[1:]
            return {"id": channel_id, "is_im": True, "user": user_id, "is_member": True}
        return self._channels.get(channel_id)

    def _access_error(self, channel_id: str) -> str | None:
        channel = self._channel(channel_id)
        if channel is None:
            return "channel_not_found"
        return None if channel["is_member"] else "not_in_channel"

    def _new_message(self, params: Params) -> Body:
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": "",
            "ts": self._next_ts(),
        }
        message.update(_message_fields(params))
        if "thread_ts" in params:
            message["thread_ts"] = params["thread_ts"]
        return message

    def _next_ts(self) -> str:
        """A message ts: the current time in microseconds, strictly increasing."""
        self._last_ts = max(time.time_ns() // 1000, self._last_ts + 1)
        seconds, micros = divmod(self._last_ts, 1_000_000)
        return f"{seconds}.{micros:06d}"

    def _find_message(self, channel: str, ts: str | None) -> Body | None:
        return next((m for m in self._messages.get(channel, []) if m["ts"] == ts), None)

    def _find_view(self, view_id: str | None, external_id: str | None) -> Body | None:
        if view_id is not None:
            return self._views.get(view_id)
        return next((v for v in self._views.values() if v.get("external_id") == external_id), None)

    def _store_view(self, view: Body, view_id: str | None) -> Body:
        serial = next(self._ids)
        stored = copy.deepcopy(view) | {
            "id": view_id or f"V{serial:06d}",
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "hash": f"{serial}.fakehash",
            "state": {"values": {}},
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
        }
        self._views[stored["id"]] = stored
        return stored


# -- helpers ---------------------------------------------------------------------------------


def _team_of(token: str | None) -> str:
    """The team a token was issued for ("xoxb-T0002-5" → "T0002"); the default team otherwise."""
    for part in (token or "").split("-"):
        if part.startswith("T") and part[1:].isalnum():
            return part
    return TEAM_ID


def _ok(**fields: Any) -> Body:
    return {"ok": True, **fields}


def _error(code: str, **fields: Any) -> Body:
    return {"ok": False, "error": code, **fields}


def _status_reply(status: int, retry_after: int) -> _Reply:
    if status == 429:
        return _Reply(_error("ratelimited"), 429, retry_after)
    return _Reply(_error(HTTPStatus(status).phrase.lower().replace(" ", "_")), status)


def _channel_id(channel: str) -> str:
    """Where a post to `channel` lands: a user id means that user's DM channel."""
    return "D" + channel[1:] if channel.startswith("U") else channel


def _message_fields(params: Params) -> Body:
    fields = ("text", "blocks", "attachments", "metadata")
    return {name: copy.deepcopy(params[name]) for name in fields if name in params}


def _message_error(params: Params) -> str | None:
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


def _history_entry(message: Body, with_metadata: bool) -> Body:
    if with_metadata:
        return message
    return {key: value for key, value in message.items() if key != "metadata"}


def _in_range(ts: str, params: Params) -> bool:
    """conversations.history's window: after `oldest`, before `latest` (or at, if inclusive)."""
    moment = Decimal(ts)
    oldest = Decimal(str(params.get("oldest", 0)))
    latest = Decimal(str(params["latest"])) if "latest" in params else None
    if _flag(params.get("inclusive")):
        return moment >= oldest and (latest is None or moment <= latest)
    return moment > oldest and (latest is None or moment < latest)


def _flag(value: Any) -> bool:
    """A boolean parameter: JSON true, or the "1"/"true"/"True" a form body carries."""
    return str(value).lower() in ("1", "true")


# -- HTTP --------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many concurrent clients (load tests) without refused connects

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Keeps test output quiet."""

    def _serve(self) -> None:
        url = urlsplit(self.path)
        method = _route(url.path)
        if method is None:
            self._send(_Reply(_error("not_found"), 404))
            return
        params = self._params(url.query)
        if params is None:
            self._send(_Reply(_error("invalid_form_data")))
            return
        token = self._token(params)
        self._send(self.server.fake.answer(_Request(method, params, token, url.path)))

    def _params(self, query: str) -> Params | None:
        length = int(self.headers.get("Content-Length") or 0)
        body = _parse_body(self.headers.get("Content-Type", ""), self.rfile.read(length))
        if body is None:
            return None
        params = dict(parse_qsl(query, keep_blank_values=True)) | body
        return {name: _json_field(name, value) for name, value in params.items()}

    def _token(self, params: Params) -> str | None:
        """The bearer token (header or form field); Basic auth becomes client_id/secret params."""
        token = params.pop("token", None)
        scheme, _, credentials = self.headers.get("Authorization", "").partition(" ")
        if scheme == "Bearer":
            return credentials
        if scheme == "Basic":
            client_id, _, secret = base64.b64decode(credentials).decode().partition(":")
            params.update(client_id=client_id, client_secret=secret)
        return token

    def _send(self, reply: _Reply) -> None:
        data = json.dumps(reply.body).encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            if reply.retry_after is not None:
                self.send_header("Retry-After", str(reply.retry_after))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test): nobody to answer


def _route(path: str) -> str | None:
    """The API method a path names, RESPONSE_URL for response URLs, None for anything else."""
    if path.startswith("/api/") and len(path) > len("/api/"):
        return path.removeprefix("/api/")
    if path.startswith("/response/"):
        return RESPONSE_URL
    return None


def _parse_body(content_type: str, body: bytes) -> Params | None:
    """A form or JSON body as a dict; None when it is neither."""
    if not body:
        return {}
    try:
        if content_type.startswith("application/json"):
            parsed = json.loads(body)
            return parsed if isinstance(parsed, dict) else None
        if content_type.startswith("application/x-www-form-urlencoded"):
            return dict(parse_qsl(body.decode(), keep_blank_values=True))
    except ValueError:
        return None
    return None


def _json_field(name: str, value: Any) -> Any:
    """Decodes fields that form bodies carry as JSON strings; leaves undecodable ones as is."""
    if name not in JSON_FIELDS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


@contextmanager
def running_fake_slack() -> Iterator[FakeSlack]:
    """A started FakeSlack, stopped afterwards: wrap it in a pytest fixture."""
    with FakeSlack() as fake:
        yield fake
