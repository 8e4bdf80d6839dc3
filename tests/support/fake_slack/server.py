"""The fake Slack's HTTP side: a stdlib server on 127.0.0.1 that reads form and JSON bodies as
slack_sdk sends them, routes `/api/<method>`, `/response/<name>` and `/upload/<file id>` (the
bytes of a `files.uploadV2`), and hands each call to an `answer` function."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.support.fake_slack.wire import FILE_UPLOAD, RESPONSE_URL, Params, Reply, Request, error

JSON_FIELDS = ("blocks", "metadata", "view", "attachments")

Answer = Callable[[Request], Reply]


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many concurrent clients (load tests) without refused connects

    def __init__(self, answer: Answer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Server

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Keeps test output quiet."""

    def _serve(self) -> None:
        url = urlsplit(self.path)
        method = route(url.path)
        if method is None:
            self._send(Reply(error("not_found"), 404))
            return
        if method == FILE_UPLOAD:  # the file's bytes, as slack-sdk posts them: no form, no JSON
            length = int(self.headers.get("Content-Length") or 0)
            content = self.rfile.read(length).decode("utf-8", errors="replace")
            file_id = url.path.removeprefix("/upload/")
            self._send(
                self.server.answer(
                    Request(method, {"file_id": file_id, "content": content}, None, url.path)
                )
            )
            return
        params = self._params(url.query)
        if params is None:
            self._send(Reply(error("invalid_form_data")))
            return
        token = self._token(params)
        self._send(self.server.answer(Request(method, params, token, url.path)))

    def _params(self, query: str) -> Params | None:
        length = int(self.headers.get("Content-Length") or 0)
        body = parse_body(self.headers.get("Content-Type", ""), self.rfile.read(length))
        if body is None:
            return None
        params = dict(parse_qsl(query, keep_blank_values=True)) | body
        return {name: json_field(name, value) for name, value in params.items()}

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

    def _send(self, reply: Reply) -> None:
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


def route(path: str) -> str | None:
    """The API method a path names, RESPONSE_URL for response URLs, None for anything else."""
    if path.startswith("/api/") and len(path) > len("/api/"):
        return path.removeprefix("/api/")
    if path.startswith("/response/"):
        return RESPONSE_URL
    if path.startswith("/upload/"):
        return FILE_UPLOAD
    return None


def parse_body(content_type: str, body: bytes) -> Params | None:
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


def json_field(name: str, value: Any) -> Any:
    """Decodes fields that form bodies carry as JSON strings; leaves undecodable ones as is."""
    if name not in JSON_FIELDS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
