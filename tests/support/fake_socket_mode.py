"""A fake Slack Socket Mode endpoint for tests: a WebSocket server on 127.0.0.1 (the `websockets`
library's threaded server) speaking Slack's envelope protocol to slack_sdk's Socket Mode client.

`FakeSocketMode(fake_slack)` wires itself into the fake Web API: each `apps.connections.open`
then answers a new ``ws://127.0.0.1:<port>/link/?ticket=<n>`` URL, and a ticket opens one
connection only (any other is refused with HTTP 401), as Slack's do. Then, as Slack does:

- a client that connects gets ``{"type": "hello", ...}`` first; each connection is a `Link`,
  with everything the client sent on it;
- `command`, `action` and `event` (or `send`, for any envelope type) send an envelope
  ``{"envelope_id", "type", "payload", "accepts_response_payload"}`` on the newest open link, and
  `ack(envelope_id)` waits for the client's ``{"envelope_id", "payload"?}``;
- `disconnect()` sends ``{"type": "disconnect", "reason": "refresh_requested"}``, after which
  the client opens a new URL through `apps.connections.open` and connects again.

    with FakeSlack() as slack, FakeSocketMode(slack) as socket_mode:
        ...  # start `python -m bot socket` with SLACK_API_URL=slack.base_url, then
        socket_mode.wait_for_links(1)
        ack = socket_mode.ack(socket_mode.command("help"))
        assert "/stretch list" in ack["payload"]["text"]
"""

from __future__ import annotations

import itertools
import json
import threading
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from tests.support.fake_slack import APP_ID, FakeSlack
from tests.support.slack_payloads import block_action, event_callback, slash_command

Envelope = dict[str, Any]


@dataclass
class Link:
    """One WebSocket connection: the ticket it was opened with, what the client sent on it
    (acks and anything else, decoded), and whether it is closed."""

    ticket: str
    received: list[Envelope] = field(default_factory=list)
    closed: bool = False


class FakeSocketMode:
    """The fake Socket Mode endpoint; see the module docstring."""

    def __init__(self, fake_slack: FakeSlack, *, wait: float = 10.0) -> None:
        self._fake_slack = fake_slack
        self._wait = wait  # how long `wait_for_links` and `ack` wait by default
        self._changed = threading.Condition()
        self._tickets = itertools.count(1)
        self._issued: set[str] = set()
        self._links: list[Link] = []
        self._sockets: dict[int, ServerConnection] = {}  # id(link) → its connection
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeSocketMode:
        self._server = serve(
            self._serve,
            "127.0.0.1",
            0,
            process_request=self._check_ticket,
            compression=None,  # slack_sdk's client offers no extensions anyway
            close_timeout=1,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-socket-mode", daemon=True
        )
        self._thread.start()
        self._fake_slack.serve_socket_mode(self.new_url)
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._thread.join()
        self._server = None

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def new_url(self) -> str:
        """A URL with a new one-time ticket, as `apps.connections.open` answers."""
        if self._server is None:
            raise RuntimeError("FakeSocketMode is not started")
        port = self._server.socket.getsockname()[1]
        ticket = str(next(self._tickets))
        with self._changed:
            self._issued.add(ticket)
        return f"ws://127.0.0.1:{port}/link/?ticket={ticket}"

    # -- what tests read ---------------------------------------------------------------------

    @property
    def links(self) -> list[Link]:
        """Every connection that got its hello, oldest first."""
        with self._changed:
            return list(self._links)

    def wait_for_links(self, count: int, timeout: float | None = None) -> Link:
        """Waits until `count` connections have got their hello; the newest."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._links) >= count, timeout or self._wait):
                raise AssertionError(f"{len(self._links)} Socket Mode connections, not {count}")
            return self._links[-1]

    def ack(self, envelope_id: str, timeout: float | None = None) -> Envelope:
        """The client's acknowledgement of an envelope, once it comes."""

        def found() -> Envelope | None:
            return next(
                (
                    message
                    for link in self._links
                    for message in link.received
                    if message.get("envelope_id") == envelope_id
                ),
                None,
            )

        with self._changed:
            if not self._changed.wait_for(lambda: found() is not None, timeout or self._wait):
                raise AssertionError(f"envelope {envelope_id} was not acknowledged")
            return found()

    # -- what Slack sends --------------------------------------------------------------------

    def send(self, envelope_type: str, payload: Envelope, *, accepts_response_payload: bool) -> str:
        """Sends an envelope on the newest open connection; its envelope_id."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if envelope_type == "events_api":
            envelope |= {"retry_attempt": 0, "retry_reason": ""}
        self._send_newest(envelope)
        return envelope_id

    def command(self, text: str = "", **fields: Any) -> str:
        """`/stretch <text>`; the ack's payload is the app's answer. The envelope_id."""
        payload = slash_command(text, self.response_url, **fields)
        return self.send("slash_commands", payload, accepts_response_payload=True)

    def action(self, action_id: str, value: str, **fields: Any) -> str:
        """A click on a button; the envelope_id."""
        payload = block_action(action_id, value, self.response_url, **fields)
        return self.send("interactive", payload, accepts_response_payload=False)

    def event(self, event: Envelope, **fields: Any) -> str:
        """An Events API event; the envelope_id."""
        payload = event_callback(event, **fields)
        return self.send("events_api", payload, accepts_response_payload=False)

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Asks the client to reconnect, as Slack does a few hours into a connection."""
        self._send_newest(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-socket-mode"}}
        )

    @property
    def response_url(self) -> str:
        """Where the app's `respond()` to envelopes sent here goes (calls to "response_url")."""
        return self._fake_slack.response_url("socket-mode")

    # -- serving -----------------------------------------------------------------------------

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        """Lets through the handshake of a URL issued by `new_url` and not used yet."""
        ticket = parse_qs(urlsplit(request.path).query).get("ticket", [""])[0]
        with self._changed:
            if ticket in self._issued:
                self._issued.remove(ticket)
                return None
        return connection.respond(HTTPStatus.UNAUTHORIZED, "invalid or used ticket\n")

    def _serve(self, connection: ServerConnection) -> None:
        link = Link(ticket=parse_qs(urlsplit(connection.request.path).query)["ticket"][0])
        with self._changed:
            open_links = sum(not known.closed for known in self._links) + 1
        connection.send(json.dumps(hello(open_links)))
        with self._changed:
            self._links.append(link)
            self._sockets[id(link)] = connection
            self._changed.notify_all()
        try:
            for message in connection:
                with self._changed:
                    link.received.append(decoded(message))
                    self._changed.notify_all()
        except ConnectionClosed:
            pass  # the client went away without a close frame, as slack_sdk's does
        finally:
            with self._changed:
                link.closed = True
                self._changed.notify_all()

    def _send_newest(self, message: Envelope) -> None:
        with self._changed:
            newest = next((link for link in reversed(self._links) if not link.closed), None)
            if newest is None:
                raise AssertionError("no open Socket Mode connection")
            connection = self._sockets[id(newest)]
        connection.send(json.dumps(message))


def hello(num_connections: int) -> Envelope:
    """What Slack sends first on a new connection."""
    return {
        "type": "hello",
        "num_connections": num_connections,
        "debug_info": {"host": "fake-socket-mode", "approximate_connection_time": 18060},
        "connection_info": {"app_id": APP_ID},
    }


def decoded(message: str | bytes) -> Envelope:
    try:
        parsed = json.loads(message)
    except ValueError:
        return {"undecodable": str(message)}
    return parsed if isinstance(parsed, dict) else {"not_an_object": parsed}
