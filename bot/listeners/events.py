"""Events: the App Home tab, and keeping time zones, statuses and DND windows fresh."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.domain.people import SlackUser
from bot.listeners.payloads import mapping, text

if TYPE_CHECKING:
    from bot.services.container import Services


def _team(body: dict[str, Any]) -> str:
    return text(body.get("team_id"))


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        user_id = text(event.get("user"))
        if event.get("tab", "home") == "home" and user_id:
            services.home.publish(client, SlackUser(_team(body), user_id))

    @app.event("user_change")
    def on_user_change(event: dict[str, Any], body: dict[str, Any]) -> None:
        user = mapping(event.get("user"))
        user["profile"] = mapping(user.get("profile"))
        services.people.user_changed(text(user.get("team_id")) or _team(body), user)

    @app.event("app_uninstalled")
    def on_uninstalled(body: dict[str, Any], context: BoltContext) -> None:
        services.workspaces.uninstalled(
            context.team_id or _team(body), context.enterprise_id or "", services.clock.now()
        )

    @app.event("tokens_revoked")
    def on_tokens_revoked(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext
    ) -> None:
        if mapping(event.get("tokens")).get("bot"):  # the app holds no user tokens
            services.workspaces.uninstalled(
                context.team_id or _team(body), context.enterprise_id or "", services.clock.now()
            )

    @app.event("dnd_updated_user")
    def on_dnd_updated(event: dict[str, Any], body: dict[str, Any]) -> None:
        services.people.dnd_changed(
            _team(body), str(event.get("user", "")), event.get("dnd_status") or {}
        )
