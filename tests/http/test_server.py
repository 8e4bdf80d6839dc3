"""The gunicorn server of `python -m bot serve`: its worker count, and a container per worker."""

from __future__ import annotations

from bot.server import GunicornServer


class FakeContainer:
    def __init__(self) -> None:
        self.started = self.closed = False
        self.wsgi_app = object()

    def start_background(self) -> None:
        self.started = True

    def close(self) -> None:
        self.closed = True


def test_one_worker_by_default_and_as_many_as_asked():
    assert GunicornServer(FakeContainer, port=3000).cfg.workers == 1
    assert GunicornServer(FakeContainer, port=3000, workers=4).cfg.workers == 4


def test_a_worker_builds_starts_and_closes_a_container_of_its_own():
    built: list[FakeContainer] = []

    def build() -> FakeContainer:
        built.append(FakeContainer())
        return built[-1]

    server = GunicornServer(build, port=3000, workers=2)
    assert built == []  # nothing in the master: each worker builds after the fork
    server.load()  # what gunicorn calls in each worker
    [container] = built
    assert container.started
    server.cfg.worker_exit(None, None)
    assert container.closed
