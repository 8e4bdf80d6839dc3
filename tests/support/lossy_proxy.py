"""An HTTP proxy in front of FakeSlack that can lose answers: the request reaches Slack (the
message is posted) but the caller gets no answer (the connection drops) or a 503.

That is what a real network and a real Slack can do, and FakeSlack's own faults cannot: they
answer instead of the method, so nothing is posted.

    with LossyProxy(fake.base_url) as proxy:
        proxy.lose_next("chat.postMessage", answer="drop")
        client = WebClient(token="xoxb-test", base_url=proxy.base_url)
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

Answer = Literal["drop", "503"]
FORWARDED_HEADERS = ("Content-Type", "Authorization")


class LossyProxy:
    def __init__(self, upstream_api_url: str) -> None:
        self.upstream = upstream_api_url.rstrip("/").removesuffix("/api")
        self._lock = threading.Lock()
        self._losses: dict[str, deque[Answer]] = {}
        self.lost: list[tuple[str, Answer]] = []
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> LossyProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    def lose_next(self, method: str, *, answer: Answer = "drop", times: int = 1) -> None:
        """Forward the next `times` calls to `method`, then drop the connection or answer 503."""
        with self._lock:
            self._losses.setdefault(method, deque()).extend([answer] * times)

    def take_loss(self, method: str) -> Answer | None:
        """How to lose the answer to this call to `method`, if a loss is queued (then recorded)."""
        with self._lock:
            queued = self._losses.get(method)
            answer = queued.popleft() if queued else None
            if answer is not None:
                self.lost.append((method, answer))
            return answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, proxy: LossyProxy) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.proxy = proxy


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        proxy = self.server.proxy
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name: self.headers[name] for name in FORWARDED_HEADERS if self.headers[name]}
        request = urllib.request.Request(
            proxy.upstream + self.path, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                status, reply_headers, data = reply.status, dict(reply.headers), reply.read()
        except urllib.error.HTTPError as error:
            status, reply_headers, data = error.code, dict(error.headers), error.read()
        loss = proxy.take_loss(self.path.removeprefix("/api/"))
        if loss == "drop":
            self.close_connection = True  # the caller sees RemoteDisconnected
            return
        if loss == "503":
            status, data = 503, b'{"ok":false,"error":"service_unavailable"}'
        self.send_response(status)
        self.send_header("Content-Type", reply_headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(data)))
        if "Retry-After" in reply_headers:
            self.send_header("Retry-After", reply_headers["Retry-After"])
        self.end_headers()
        self.wfile.write(data)
