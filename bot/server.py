"""Serving the app through gunicorn, the production server, from inside `python -m bot serve`.

A request gets a thread only once all of it has arrived: gunicorn's asyncio worker reads the
headers, `asgi_app` reads the body (up to `MAX_BODY`, within `BODY_SECONDS`) on the event loop,
and only then runs the WSGI app on one of the worker's threads, once, sending its answer back
in one piece. A client that sends slowly, or connects and says nothing, costs memory instead of
a thread, so it cannot keep Slack's requests or the health check waiting; gunicorn's threaded
worker would hand it a thread as soon as its first bytes arrived.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from a2wsgi.wsgi import build_environ
from gunicorn.app.base import BaseApplication

from bot.bootstrap import Container
from bot.web import MAX_BODY, WSGIApp

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Receive, Send], Awaitable[None]]

# Threads per worker for the WSGI app: Slack's requests are short and wait on I/O.
THREADS = 8
# A request whose body has not all arrived by then is answered 408: Slack sends it at once.
BODY_SECONDS = 10.0


def asgi_app(wsgi_app: WSGIApp, threads: int) -> ASGIApp:
    """`wsgi_app` for gunicorn's asgi worker, given whole requests only (see the module)."""
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="request")

    async def serve(scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        try:
            body = await asyncio.wait_for(_whole_body(receive), BODY_SECONDS)
        except TimeoutError:
            return await _reply(send, "408 Request Timeout", [], [b"request body too slow"])
        if body is None:
            return await _reply(send, "413 Content Too Large", [], [b"request body too large"])
        environ = build_environ(scope, io.BytesIO(body))  # type: ignore[arg-type]
        loop = asyncio.get_running_loop()
        status, headers, chunks = await loop.run_in_executor(pool, _run, wsgi_app, environ)
        await _reply(send, status, headers, chunks)

    return serve


async def _whole_body(receive: Receive) -> bytes | None:
    """The request's body; None once it passes `MAX_BODY` (the rest is not read)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _run(wsgi_app: WSGIApp, environ: dict[str, Any]) -> tuple[str, list, list[bytes]]:
    """One WSGI call, on a pool thread: the status, headers and body it answered."""
    answer: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(status: str, headers: list, exc_info: Any = None) -> Callable:
        answer["status"], answer["headers"] = status, headers
        return chunks.append  # WSGI's `write`

    result = wsgi_app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer["status"], answer["headers"], chunks


async def _reply(send: Send, status: str, headers: list, chunks: list[bytes]) -> None:
    code = int(status.split(" ", 1)[0])
    raw = [(name.lower().encode("latin1"), value.encode("latin1")) for name, value in headers]
    if not any(name == b"content-length" for name, _ in raw):
        raw.append((b"content-length", str(sum(map(len, chunks))).encode()))
    await send({"type": "http.response.start", "status": code, "headers": raw})
    await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": False})


class GunicornServer(BaseApplication):
    """Gunicorn with our options; the app is built in each worker, after the fork.

    Building in the worker keeps database connections and threads out of the master process,
    and gives every worker a container of its own: its own engine, Slack clients, pacer and tick
    (several ticking workers are safe, as several instances are: the database hands each nudge
    to one of them). Slack requests are short and I/O bound, so each worker runs them on
    threads; more workers (`WEB_CONCURRENCY`) let the app use more than one core.
    """

    def __init__(
        self,
        build_container: Callable[[], Container],
        port: int,
        threads: int = THREADS,
        workers: int = 1,
    ):
        self._build_container = build_container
        self._container: Container | None = None
        self._threads = threads
        self._options = {
            "bind": f"0.0.0.0:{port}",
            "workers": workers,
            "worker_class": "asgi",
            "asgi_lifespan": "off",
            # uvloop when installed (it is a dependency): the event loop costs a request about
            # as much CPU as gthread's own loop; asyncio's costs 0.2–0.4 ms more (bench).
            "asgi_loop": "auto",
            "timeout": 30,
            "graceful_timeout": 20,
            "accesslog": "-",
            "worker_exit": self._on_worker_exit,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        """Runs in each worker after the fork (the app is not preloaded); so does `worker_exit`,
        so each worker closes the container it built."""
        self._container = self._build_container()
        self._container.start_background()
        return asgi_app(self._container.wsgi_app, self._threads)

    def _on_worker_exit(self, _server, _worker) -> None:
        if self._container is not None:
            self._container.close()
