"""`FakeSlack`: the fake Web API server and the workspace it serves (see the package docstring)."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tests.support.fake_slack.faults import Fault, Faults
from tests.support.fake_slack.server import Server
from tests.support.fake_slack.web_api import (
    MESSAGE_METHODS,
    METHODS,
    TOKENLESS_METHODS,
    VIEW_METHODS,
)
from tests.support.fake_slack.wire import (
    RESPONSE_URL,
    Body,
    Call,
    Rejection,
    Reply,
    Request,
    error,
)
from tests.support.fake_slack.workspace import FakeUser, Workspace, channel_id
from tests.support.slack_limits import message_problems, view_problems


class FakeSlack:
    """The fake Web API server and the workspace it serves; see the package docstring."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._workspace = Workspace()
        self._faults = Faults()
        self._calls: list[Call] = []
        self._rejections: list[Rejection] = []
        self._response_url_uses: int | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        self._server = Server(self.answer)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # how quickly stop() returns
            name="fake-slack",
            daemon=True,
        )
        self._thread.start()
        self._workspace.origin = self._server.origin
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # ends injected delays early
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None

    def __enter__(self) -> FakeSlack:
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
        return self._server.origin

    # -- the workspace -----------------------------------------------------------------------

    def add_user(self, user_id: str, **fields: Any) -> FakeUser:
        """Adds (or replaces) a member; `fields` are those of `FakeUser`."""
        user = FakeUser(id=user_id, **fields)
        with self._lock:
            self._workspace.add_user(user)
        return user

    def update_user(self, user_id: str, **changes: Any) -> FakeUser:
        """Changes some fields of a member added before, e.g. ``status_emoji=":palm_tree:"``."""
        with self._lock:
            return self._workspace.update_user(user_id, **changes)

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

    def set_presence(self, user_id: str, presence: str) -> FakeUser:
        """Sets what users.getPresence reports for a member: "active" (default) or "away"."""
        return self.update_user(user_id, presence=presence)

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str = "general",
        is_member: bool = True,
        is_private: bool = False,
    ) -> None:
        """Adds a channel; with ``is_member=False`` posts get ``not_in_channel`` until joined
        (``channel_not_found`` in a private channel, which the bot cannot see unless invited)."""
        with self._lock:
            self._workspace.add_channel(channel_id, name, is_member, is_private)

    def install_as(self, team_id: str) -> None:
        """The next OAuth code exchange installs the app in `team_id` (default: T0001) or, for an
        org id (`E…`), org-wide in that Enterprise Grid org."""
        with self._lock:
            self._workspace.install_teams.append(team_id)

    def add_org(self, enterprise_id: str, *team_ids: str) -> None:
        """An Enterprise Grid org and its workspaces: installs and auth.test name the org."""
        with self._lock:
            self._workspace.org_of_team.update(dict.fromkeys(team_ids, enterprise_id))

    def serve_socket_mode(self, new_url: Callable[[], str]) -> None:
        """Each `apps.connections.open` from now on answers `new_url()`: a URL of a fake Socket
        Mode endpoint (`tests/support/fake_socket_mode.py`'s `FakeSocketMode.new_url`)."""
        with self._lock:
            self._workspace.socket_mode_url = new_url

    @property
    def rotating_tokens(self) -> bool:
        """When True, OAuth installs hand out expiring tokens with a refresh token."""
        return self._workspace.rotating_tokens

    @rotating_tokens.setter
    def rotating_tokens(self, on: bool) -> None:
        with self._lock:
            self._workspace.rotating_tokens = on

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
        fault = Fault(status=status, retry_after=retry_after, error=error, delay=delay)
        with self._lock:
            self._faults.queue(method, fault, times)

    def faults_left(self, method: str) -> int:
        """How many faults queued by `fail_next` for `method` are not used yet."""
        with self._lock:
            return self._faults.left(method)

    def set_error(self, method: str, error: str) -> None:
        """Makes every call to `method` answer the Slack `error` until `clear_errors()`."""
        with self._lock:
            self._faults.set_error(method, error)

    def clear_errors(self) -> None:
        """Drops persistent errors and faults not yet used."""
        with self._lock:
            self._faults.clear()

    def enforce_channel_rate(self, per_second: float = 1) -> None:
        """Answers chat.postMessage with 429 when a channel gets more than this per second."""
        with self._lock:
            self._faults.enforce_channel_rate(per_second)

    def limit_response_url_uses(self, uses: int = 5) -> None:
        """Answers 404 ``used_url`` (and records a rejection) to a post to a response_url that
        already took `uses` posts, as Slack does (five in thirty minutes). Off by default: most
        tests send every click with the same response_url."""
        with self._lock:
            self._response_url_uses = uses

    def budget(self, per_minute: int, *, method: str | None = None) -> None:
        """Answers 429 beyond `per_minute` calls, to `method` or (None) to all Web API methods."""
        with self._lock:
            self._faults.budget(per_minute, method)

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
            return copy.deepcopy(self._workspace.messages.get(channel_id(channel), []))

    def uploaded_files(self, channel: str) -> list[Body]:
        """The files shared in `channel` (a user id means their DM), each with its `content`."""
        with self._lock:
            shared = [
                f for f in self._workspace.files.values() if f.get("channel") == channel_id(channel)
            ]
            return copy.deepcopy(shared)

    def home(self, user_id: str) -> Body | None:
        """The Home tab view last published for a user."""
        with self._lock:
            return self._workspace.home(user_id)

    def reset(self) -> None:
        """Forgets recorded calls and rejections; the workspace and its messages stay."""
        with self._lock:
            self._calls.clear()
            self._rejections.clear()

    # -- answering ---------------------------------------------------------------------------

    def answer(self, request: Request) -> Reply:
        """Answers one request and records it (called by the HTTP handler threads)."""
        with self._lock:
            fault = self._faults.next_for(request.method)
        if fault is not None and fault.delay:
            self._stopping.wait(fault.delay)
        with self._lock:
            reply = fault.reply() if fault else None
            reply = reply or self._refusal(request) or self._dispatch(request)
            self._calls.append(Call.of(request, reply))
        return reply

    def _refusal(self, request: Request) -> Reply | None:
        refused = self._faults.persistent_error(request)
        if refused is None and request.token is None and request.method not in TOKENLESS_METHODS:
            refused = Reply(error("not_authed"))
        refused = refused or self._faults.rate_limited(request) or self._overused(request)
        return refused or self._invalid(request)

    def _overused(self, request: Request) -> Reply | None:
        if request.method != RESPONSE_URL or self._response_url_uses is None:
            return None
        used = sum(1 for call in self._calls if call.path == request.path and call.ok)
        if used < self._response_url_uses:
            return None
        self._rejections.append(Rejection(request.method, ["used_url"], request.params))
        return Reply(error("used_url"), 404)

    def _invalid(self, request: Request) -> Reply | None:
        """Refuses (and records) a message or view that breaks Block Kit limits."""
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
        return Reply(error("invalid_blocks", errors=problems), status)

    def _dispatch(self, request: Request) -> Reply:
        method = METHODS.get(request.method)
        if method is None:
            return Reply(error("unknown_method"))
        return Reply(copy.deepcopy(method(self._workspace, request.params, request.token)))


@contextmanager
def running_fake_slack() -> Iterator[FakeSlack]:
    """A started FakeSlack, stopped afterwards: wrap it in a pytest fixture."""
    with FakeSlack() as fake:
        yield fake
