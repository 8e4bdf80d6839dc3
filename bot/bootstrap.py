"""The composition root: builds every part from the configuration and wires them together.
Nothing else constructs engines, clients, the Bolt app or the scheduler."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config
from bot.db.engine import make_engine, make_session_factory
from bot.db.team_library import WorkspaceLibraries
from bot.db.workspaces import set_org_active, set_workspace_active
from bot.domain.clock import Clock, SystemClock
from bot.domain.content import Library, load_library
from bot.domain.workspace_defaults import WorkspaceDefaults, bounded_cap
from bot.jobs.after_ack import AfterAck
from bot.jobs.challenge_posts import ChallengePosts
from bot.jobs.challenge_results import ChallengeResults
from bot.jobs.group_breaks import GroupBreakPosts
from bot.jobs.guided_walks import ThreadTimers, Timers, WalkThroughs
from bot.jobs.home_refresh import HomeTab
from bot.jobs.nudge_delivery import NudgeDelivery
from bot.jobs.nudge_planning import NudgePlanning
from bot.jobs.nudge_rules import PlanningRules
from bot.jobs.profile_fetches import ProfileFetches
from bot.jobs.requests_in_flight import RequestsInFlight
from bot.jobs.tick import Tick, TickScheduler, TickSteps
from bot.jobs.weekly_summaries import WeeklySummaries
from bot.listeners import register_listeners
from bot.listeners.shape import RefuseMalformed
from bot.listeners.speech import ContextCopyingExecutor
from bot.services.admin import AdminService
from bot.services.challenges import ChallengeService
from bot.services.container import Services
from bot.services.days_off import DaysOffService
from bot.services.fit import FitService
from bot.services.group_breaks import GroupBreakService
from bot.services.guided import GuideService
from bot.services.languages import LanguageService
from bot.services.people import PeopleService
from bot.services.progress import ProgressService
from bot.services.reminders import ReminderService
from bot.services.self_reports import SelfReportService
from bot.services.settings import SettingsService
from bot.services.stretches import StretchService
from bot.services.team_library import TeamLibraryService
from bot.services.undo import UndoService
from bot.services.work_hours import WorkHoursService
from bot.slack.guided import AUTOMATIC_UPDATES_PER_MINUTE
from bot.slack.install_pages import install_flow
from bot.slack.pacing import Pacer, SharedBudget
from bot.slack.workspaces import ActivatingInstallationStore, WorkspaceClients
from bot.web import WSGIApp, make_wsgi_app

# What the app asks for when a workspace installs it (keep in step with manifest.yml).
BOT_SCOPES = [
    "chat:write",
    "chat:write.public",
    "channels:join",
    "channels:history",
    "groups:history",
    "channels:read",
    "groups:read",
    "app_mentions:read",
    "commands",
    "im:write",
    "im:history",
    "users:read",
    "users.profile:read",
    "dnd:read",
    "files:write",
]
# Bolt's own default: the threads that run listeners after the ack, each in the language of
# its request (see bot.listeners.speech).
LISTENER_THREADS = 5


@dataclass
class Container:
    config: Config
    engine: Engine
    sessions: sessionmaker[Session]
    clients: WorkspaceClients
    senders: WorkspaceClients
    services: Services
    bolt_app: App
    wsgi_app: WSGIApp
    steps: TickSteps
    tick: Tick
    scheduler: TickScheduler
    walkthroughs: WalkThroughs
    after_ack: AfterAck
    profiles: ProfileFetches

    def start_background(self) -> None:
        if not self.config.distribution:  # a new token may serve a workspace marked inactive
            auth = self.clients.for_team("").auth_test()
            if auth.get("is_enterprise_install"):  # an org-wide token serves the whole org
                set_org_active(self.sessions, auth["enterprise_id"], True)
            else:
                set_workspace_active(
                    self.sessions,
                    auth["team_id"],
                    auth.get("enterprise_id") or "",
                    True,
                    self.services.clock.now(),
                )
        self.scheduler.start()

    def close(self) -> None:
        self.scheduler.stop()
        self.after_ack.close()  # its answers may queue Home refreshes: before the Home tab
        self.profiles.close()
        self.services.home.close()
        self.walkthroughs.close()
        self.engine.dispose()


def database_is_up(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(text("SELECT 1")).scalar() == 1


def make_slack_client(config: Config, token: str | None, *, resend: bool = True) -> WebClient:
    """A Web API client that retries 429s (honouring Retry-After), connection errors and 5xx.
    Scheduled sends use `resend=False`, no retries at all: a post whose answer was lost may have
    arrived, and a 429's Retry-After slept inside a post could outlive the claim's lease; the
    delivery code re-queues instead, and checks the history before posting again."""
    handlers: list = []
    if resend:
        handlers = [
            RateLimitErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ]
    return WebClient(
        token=token, base_url=config.slack_api_url, timeout=15, retry_handlers=handlers
    )


@dataclass(frozen=True)
class SlackWiring:
    app: App
    clients: WorkspaceClients  # for answering requests: retries everything
    senders: WorkspaceClients  # for scheduled posts: never resends a post by itself


def make_slack_wiring(
    config: Config,
    engine: Engine,
    sessions: sessionmaker[Session],
    clock: Clock,
    token_verification: bool,
) -> SlackWiring:
    """The Bolt app and the per-workspace clients: one token, or OAuth with stored tokens."""

    def clients(resend: bool, **tokens: object) -> WorkspaceClients:
        return WorkspaceClients(
            lambda token: make_slack_client(config, token, resend=resend), sessions, **tokens
        )

    verify = not config.socket_mode
    secret = config.slack_signing_secret or None
    if not config.distribution:
        single = {"single_token": config.slack_bot_token}
        answering = clients(True, **single)
        app = App(
            client=answering.for_team(""),
            signing_secret=secret,
            request_verification_enabled=verify,
            token_verification_enabled=token_verification,
            before_authorize=RefuseMalformed(),
            listener_executor=ContextCopyingExecutor(LISTENER_THREADS),
        )
        return SlackWiring(app, answering, clients(False, **single))
    store = ActivatingInstallationStore(config.slack_client_id, engine, sessions, clock)
    rotator = TokenRotator(
        client_id=config.slack_client_id,
        client_secret=config.slack_client_secret,
        client=make_slack_client(config, None),
    )
    oauth = OAuthSettings(
        client_id=config.slack_client_id,
        client_secret=config.slack_client_secret,
        scopes=BOT_SCOPES,
        redirect_uri=config.slack_redirect_uri or None,
        installation_store=store,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine),
    )
    app = App(
        client=make_slack_client(config, None),
        signing_secret=secret,
        request_verification_enabled=verify,
        before_authorize=RefuseMalformed(),
        listener_executor=ContextCopyingExecutor(LISTENER_THREADS),
        installation_store=store,
        oauth_flow=install_flow(oauth),
    )
    stored = {"store": store, "rotator": rotator}
    return SlackWiring(app, clients(True, **stored), clients(False, **stored))


def instance_name() -> str:
    """Who holds a claim: unique per process, readable in the database."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def build(
    config: Config,
    clock: Clock | None = None,
    library: Library | None = None,
    token_verification: bool = True,
    timers: Timers | None = None,
) -> Container:
    """`timers` schedule guided mode's automatic advances (tests pass ones they fire)."""
    logging.basicConfig(
        level=config.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # slack-sdk logs every Web API answer whole at DEBUG: installed bot tokens (oauth.v2.access),
    # people's profiles and DMs. Those stay out of the log whatever LOG_LEVEL says.
    logging.getLogger("slack_sdk").setLevel(
        max(logging.INFO, logging.getLevelName(config.log_level))
    )
    clock = clock or SystemClock()
    library = library or load_library()
    engine = make_engine(config.database_url)
    sessions = make_session_factory(engine)
    slack = make_slack_wiring(config, engine, sessions, clock, token_verification)
    bolt_app, clients, senders = slack.app, slack.clients, slack.senders
    defaults = config.default_preferences()
    libraries = WorkspaceLibraries(library, sessions)
    workspace_defaults = WorkspaceDefaults(defaults, bounded_cap(config.daily_nudge_cap))
    admin = AdminService(sessions, clock, workspace_defaults)
    progress = ProgressService(sessions, clock, libraries, defaults)
    requests = RequestsInFlight()  # Slack's requests, which the Home refresh yields to
    stretches = StretchService(sessions, clock, libraries, defaults)
    challenges = ChallengeService(sessions, clock, libraries, defaults)
    group_breaks = GroupBreakService(sessions, clock, libraries, defaults)
    guide = GuideService(stretches, challenges, group_breaks, sessions, clock, libraries, defaults)
    walkthroughs = WalkThroughs(
        guide,
        timers or ThreadTimers(),
        SharedBudget(sessions, clock, AUTOMATIC_UPDATES_PER_MINUTE),
    )
    after_ack = AfterAck()
    people = PeopleService(sessions, clock)
    profiles = ProfileFetches(people.user_changed)
    services = Services(
        clock=clock,
        stretches=stretches,
        fit=FitService(sessions, clock, libraries, defaults),
        people=people,
        reminders=ReminderService(sessions, clock, libraries, defaults),
        work_hours=WorkHoursService(sessions, clock, libraries, defaults),
        challenges=challenges,
        group_breaks=group_breaks,
        progress=progress,
        team_library=TeamLibraryService(sessions, clock, libraries),
        undo=UndoService(sessions, clock, libraries, defaults),
        self_reports=SelfReportService(sessions, clock, libraries, defaults),
        admin=admin,
        days_off=DaysOffService(sessions, clock, libraries, defaults),
        workspaces=clients,
        home=HomeTab(progress, admin, libraries, clock, requests),
        guide=guide,
        guided_steps=walkthroughs,
        languages=LanguageService(sessions, clock, libraries, defaults),
        settings=SettingsService(sessions, clock, libraries, defaults),
        after_ack=after_ack,
        profiles=profiles,
    )
    register_listeners(bolt_app, services)
    instance = instance_name()
    # One send budget per workspace for all that the bot posts on its own — nudges, challenge
    # days, weekly summaries, group breaks — kept in the database for every instance and worker
    # at once.
    pacer = Pacer(SharedBudget(sessions, clock, config.workspace_sends_per_minute))
    steps = TickSteps(
        NudgePlanning(sessions, clock, libraries, PlanningRules(config.daily_nudge_cap)),
        NudgeDelivery(sessions, clock, libraries, senders.for_workspace, pacer, instance),
        ChallengePosts(sessions, clock, libraries, senders.for_workspace, pacer, instance),
        ChallengeResults(sessions, clock, libraries, senders.for_workspace, pacer, instance),
        WeeklySummaries(sessions, clock, libraries, senders.for_workspace, pacer, instance),
        GroupBreakPosts(sessions, clock, libraries, senders.for_workspace, pacer, instance),
    )
    tick = Tick(steps)
    wsgi_app = make_wsgi_app(
        bolt_app, lambda: database_is_up(engine), requests, config.slack_signing_secret
    )
    return Container(
        config,
        engine,
        sessions,
        clients,
        senders,
        services,
        bolt_app,
        wsgi_app,
        steps,
        tick,
        TickScheduler(tick, config.tick_seconds, steps.challenge_posts.refresh_leaderboards),
        walkthroughs,
        after_ack,
        profiles,
    )
