"""Serving the WSGI app through gunicorn, the production server, from inside `python -m bot`."""

from __future__ import annotations

from collections.abc import Callable

from gunicorn.app.base import BaseApplication

from bot.bootstrap import Container


class GunicornServer(BaseApplication):
    """Gunicorn with our options; the app is built in each worker, after the fork.

    Building in the worker keeps database connections and threads out of the master process,
    and gives every worker a container of its own: its own engine, Slack clients, pacer and tick
    (several ticking workers are safe, as several instances are: the database hands each nudge
    to one of them). Slack requests are short and I/O bound, so each worker has threads; more
    workers (`WEB_CONCURRENCY`) let the app use more than one core.
    """

    def __init__(
        self,
        build_container: Callable[[], Container],
        port: int,
        threads: int = 8,
        workers: int = 1,
    ):
        self._build_container = build_container
        self._container: Container | None = None
        self._options = {
            "bind": f"0.0.0.0:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
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
        return self._container.wsgi_app

    def _on_worker_exit(self, _server, _worker) -> None:
        if self._container is not None:
            self._container.close()
