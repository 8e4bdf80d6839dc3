"""What listeners call: every use case, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from slack_sdk import WebClient

from bot.domain.clock import Clock
from bot.domain.people import SlackUser
from bot.services.challenges import ChallengeService
from bot.services.people import PeopleService
from bot.services.progress import ProgressService
from bot.services.reminders import ReminderService
from bot.services.stretches import StretchService
from bot.services.team_library import TeamLibraryService
from bot.slack.workspaces import WorkspaceClients


class HomeUpdates(Protocol):
    """Rebuilds a person's App Home; the refresher in `bot.jobs.home_refresh` does it off the
    request thread."""

    def publish(self, client: WebClient, who: SlackUser) -> None:
        """Now: the person just opened the tab."""

    def refresh(self, client: WebClient, who: SlackUser) -> None:
        """Soon: something the tab shows has changed."""


@dataclass
class Services:
    clock: Clock
    stretches: StretchService
    people: PeopleService
    reminders: ReminderService
    challenges: ChallengeService
    progress: ProgressService
    team_library: TeamLibraryService
    workspaces: WorkspaceClients
    home: HomeUpdates
