"""Events: the App Home tab and keeping people's time zones fresh."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks.home import home_view

if TYPE_CHECKING:
    from bot.bootstrap import Services


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        client.views_publish(user_id=event["user"], view=home_view(services.stretches.library))

    @app.event("user_change")
    def on_user_change(event: dict[str, Any], body: dict[str, Any]) -> None:
        user = event.get("user") or {}
        services.people.update_tz(
            team_id=user.get("team_id") or body.get("team_id", ""),
            user_id=user.get("id", ""),
            tz=user.get("tz"),
        )
