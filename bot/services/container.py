"""What listeners call: every use case, built once by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from slack_sdk import WebClient

from bot.domain.clock import Clock
from bot.domain.people import SlackUser
from bot.services.admin import AdminService
from bot.services.challenges import ChallengeService
from bot.services.days_off import DaysOffService
from bot.services.fit import FitService
from bot.services.group_breaks import GroupBreakService
from bot.services.guided import GuideService, Walk
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
from bot.slack.guided import StepSurface
from bot.slack.workspaces import WorkspaceClients


class HomeUpdates(Protocol):
    """Rebuilds a person's App Home; the refresher in `bot.jobs.home_refresh` does it off the
    request thread."""

    def publish(self, client: WebClient, who: SlackUser) -> None:
        """Now: the person just opened the tab."""

    def refresh(self, client: WebClient, who: SlackUser) -> None:
        """Soon: something the tab shows has changed."""


class AfterAckWork(Protocol):
    """Runs what follows an ack off the threads that ack (`bot.jobs.after_ack`)."""

    def submit(self, name: str, task: Callable[[], None]) -> None:
        """Soon, on a thread of its own (or now, on this one, when too much is waiting)."""


class ProfileRequests(Protocol):
    """Fetches the profile of someone first met in a click, at Slack's pace
    (`bot.jobs.profile_fetches`)."""

    def fetch(self, client: WebClient, who: SlackUser) -> bool:
        """Soon; False when too many wait and this one is dropped."""


class GuidedSteps(Protocol):
    """Shows walk-through steps and advances them when a hold is up (`bot.jobs.guided_walks`)."""

    def show(self, walk: Walk, surface: StepSurface) -> None:
        """Now, in place of the step before."""

    def in_direct_message(
        self, client: WebClient, channel: str, ts: str, workspace: str
    ) -> StepSurface:
        """Where steps go for a card in the person's DM with the app."""


@dataclass
class Services:
    clock: Clock
    stretches: StretchService
    fit: FitService
    people: PeopleService
    reminders: ReminderService
    work_hours: WorkHoursService
    challenges: ChallengeService
    group_breaks: GroupBreakService
    progress: ProgressService
    team_library: TeamLibraryService
    undo: UndoService
    self_reports: SelfReportService
    admin: AdminService
    days_off: DaysOffService
    workspaces: WorkspaceClients
    home: HomeUpdates
    guide: GuideService
    guided_steps: GuidedSteps
    languages: LanguageService
    settings: SettingsService
    after_ack: AfterAckWork
    profiles: ProfileRequests
