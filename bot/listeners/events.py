"""Events: the App Home tab, and keeping time zones, statuses and DND windows fresh."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.listeners.home import publish_home
from bot.services.people import SlackUser

if TYPE_CHECKING:
    from bot.bootstrap import Services


def _team(body: dict[str, Any]) -> str:
    return body.get("team_id") or ""


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home" and event.get("user"):
            publish_home(services, client, SlackUser(_team(body), event["user"]))

    @app.event("user_change")
    def on_user_change(event: dict[str, Any], body: dict[str, Any]) -> None:
        user = event.get("user") or {}
        services.people.user_changed(user.get("team_id") or _team(body), user)

    @app.event("dnd_updated_user")
    def on_dnd_updated(event: dict[str, Any], body: dict[str, Any]) -> None:
        services.people.dnd_changed(
            _team(body), str(event.get("user", "")), event.get("dnd_status") or {}
        )
