"""Shared fixtures: a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL), a frozen
clock, the fake Slack Web API, and the real app served over HTTP.

Two marks change what the fixtures build for one test:
- `@pytest.mark.config(daily_nudge_cap=2, …)`: the `config` (and so the `container`) has those
  settings changed;
- `@pytest.mark.pacer("unpaced")` or `("scripted")`: the `container` paces its scheduled posts
  with that pacer instead of the app's own (see `tests/support/pacing.py`); the `pacer` fixture
  is that pacer.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from bot.bootstrap import Container, build
from bot.config import Config, normalise_database_url
from bot.db.migrate import upgrade
from bot.db.models import Base
from bot.domain.clock import FrozenClock
from tests.support.fake_slack import FakeSlack
from tests.support.pacing import PACERS, pace_with
from tests.support.signed_requests import SIGNING_SECRET, SlackSender
from tests.support.wsgi_server import serving

SLACK_SDK_TABLES = ["slack_installations", "slack_bots", "slack_oauth_states"]  # migration 0005
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
# SQLite test databases live in memory-backed /dev/shm where there is one: every commit's fsync
# there costs nothing, and the suite's many small transactions ran several times slower on disk.
FAST_DISK = "/dev/shm" if os.path.isdir("/dev/shm") else None


def _own_postgres_database(url: str) -> str:
    """Under pytest-xdist each worker gets a database of its own (`test_gw0`, `test_gw1`, …) next
    to TEST_DATABASE_URL's, created on first use: two workers truncating one schema would race."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    shared = make_url(url)
    own = shared.set(database=f"{shared.database}_{worker}")
    engine = create_engine(shared, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Run the migrations once per session: a SQLite file to copy, or the PostgreSQL schema."""
    if POSTGRES_URL:
        url = _own_postgres_database(normalise_database_url(POSTGRES_URL))
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade(url)
        return url
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(migrated_template: str) -> Iterator[str]:
    """An empty, fully migrated database for one test."""
    if POSTGRES_URL:
        engine = create_engine(migrated_template)
        names = [table.name for table in Base.metadata.sorted_tables] + SLACK_SDK_TABLES
        tables = ", ".join(names)
        with engine.begin() as connection:
            # A test that left a session open holds a lock TRUNCATE waits for: fail, don't hang.
            connection.execute(text("SET LOCAL lock_timeout = '30s'"))
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        yield migrated_template
        return
    with tempfile.TemporaryDirectory(prefix="stretchbot-test-", dir=FAST_DISK) as directory:
        path = Path(directory) / "stretchbot.db"
        shutil.copy(migrated_template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))  # a Tuesday


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack Web API; any message or view the app sent that breaks Slack's Block Kit
    limits fails the test that sent it."""
    with FakeSlack() as fake:
        yield fake
        assert fake.rejections == [], fake.rejections


@pytest.fixture
def config(request: pytest.FixtureRequest, database_url: str, fake_slack: FakeSlack) -> Config:
    changed = request.node.get_closest_marker("config")
    return Config(
        _env_file=None,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token="",
        slack_api_url=fake_slack.base_url,
        database_url=database_url,
        **(changed.kwargs if changed else {}),
    )


@pytest.fixture
def pacer(request: pytest.FixtureRequest) -> object | None:
    """The pacer a `@pytest.mark.pacer(name)` test's container uses; None: the app's own."""
    marked = request.node.get_closest_marker("pacer")
    return PACERS[marked.args[0]]() if marked else None


@pytest.fixture
def container(config: Config, clock: FrozenClock, pacer: object | None) -> Iterator[Container]:
    with pytest.MonkeyPatch.context() as patch:
        if pacer is not None:
            pace_with(patch, lambda: pacer)
        built = build(config, clock=clock)
    yield built
    built.close()


@pytest.fixture
def slack(container: Container, fake_slack: FakeSlack) -> Iterator[SlackSender]:
    """Signed requests to the real WSGI app served over HTTP."""
    with serving(container.wsgi_app) as url:
        yield SlackSender(url, SIGNING_SECRET, fake_slack.response_url("stretch"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that touches the database is a `db` test, re-run on PostgreSQL by CI."""
    for item in items:
        if "database_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
