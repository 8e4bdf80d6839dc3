"""The composition root: builds every part from settings and wires them together. Nothing else
constructs engines, clients, the Bolt app or the scheduler."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.challenges.posting import ChallengePoster
from bot.challenges.service import ChallengeService
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.content import Library, load_library
from bot.db.engine import make_engine, make_session_factory
from bot.listeners import register_listeners
from bot.reminders.delivery import Deliverer
from bot.reminders.pacing import Pacer
from bot.reminders.planning import PlanningRules
from bot.reminders.tick import Tick, TickScheduler
from bot.services.people import PeopleService
from bot.services.progress import ProgressService, WeeklySummaries
from bot.services.reminders import ReminderService
from bot.services.stretches import StretchService
from bot.web import WSGIApp, make_wsgi_app


@dataclass
class Services:
    """What listeners call."""

    clock: Clock
    stretches: StretchService
    people: PeopleService
    reminders: ReminderService
    challenges: ChallengeService
    progress: ProgressService


@dataclass
class Container:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    client: WebClient
    services: Services
    bolt_app: App
    wsgi_app: WSGIApp
    tick: Tick
    scheduler: TickScheduler

    def start_background(self) -> None:
        self.scheduler.start()

    def close(self) -> None:
        self.scheduler.stop()
        self.engine.dispose()


def database_is_up(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(text("SELECT 1")).scalar() == 1


def make_slack_client(settings: Settings) -> WebClient:
    """A Web API client that retries connection errors, 429s (honouring Retry-After) and 5xx."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def instance_name() -> str:
    """Who holds a claim: unique per process, readable in the database."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def build(
    settings: Settings,
    clock: Clock | None = None,
    library: Library | None = None,
    token_verification: bool = True,
) -> Container:
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    clock = clock or SystemClock()
    library = library or load_library()
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    client = make_slack_client(settings)
    defaults = settings.default_preferences()
    services = Services(
        clock=clock,
        stretches=StretchService(sessions, clock, library, defaults),
        people=PeopleService(sessions, clock),
        reminders=ReminderService(sessions, clock, library, defaults),
        challenges=ChallengeService(sessions, clock, library, defaults),
        progress=ProgressService(sessions, clock, library, defaults),
    )
    bolt_app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or None,
        request_verification_enabled=not settings.socket_mode,
        token_verification_enabled=token_verification,
    )
    register_listeners(bolt_app, services)
    instance = instance_name()
    deliverer = Deliverer(
        sessions,
        clock,
        library,
        client_for=lambda _person: client,
        pacer=Pacer(settings.workspace_sends_per_minute),
        instance=instance,
    )
    challenge_poster = ChallengePoster(
        sessions, clock, library, client_for=lambda _workspace: client, instance=instance
    )
    tick = Tick(
        sessions,
        clock,
        library,
        deliverer,
        PlanningRules(settings.daily_nudge_cap),
        more_steps=[challenge_poster, WeeklySummaries(sessions, clock, lambda _person: client)],
    )
    wsgi_app = make_wsgi_app(bolt_app, lambda: database_is_up(engine))
    return Container(
        settings,
        engine,
        sessions,
        client,
        services,
        bolt_app,
        wsgi_app,
        tick,
        TickScheduler(tick, settings.tick_seconds),
    )
