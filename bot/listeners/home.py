"""Publishing the App Home tab (on open, and after anything that changes what it shows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.blocks.home import home_view
from bot.services.people import SlackUser

if TYPE_CHECKING:
    from bot.bootstrap import Services


def publish_home(services: Services, client: WebClient, who: SlackUser) -> None:
    view = home_view(
        services.stretches.library,
        services.reminders.status(who),
        services.progress.view(who),
        services.progress.challenges(who),
        services.clock.now(),
    )
    client.views_publish(user_id=who.user_id, view=view)
