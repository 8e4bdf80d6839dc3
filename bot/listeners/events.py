"""Events: the App Home tab, and keeping time zones, statuses and DND windows fresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.domain.people import SlackUser
from bot.listeners.payloads import Json, mapping, text

if TYPE_CHECKING:
    from bot.services.container import Services


def _team(body: Json) -> str:
    return text(body.get("team_id"))


def home_opened(event: Json, body: Json, client: WebClient, services: Services) -> None:
    user_id = text(event.get("user"))
    if event.get("tab", "home") == "home" and user_id:
        services.home.publish(client, SlackUser(_team(body), user_id))


def user_changed(event: Json, body: Json, services: Services) -> None:
    user = mapping(event.get("user"))
    user["profile"] = mapping(user.get("profile"))
    services.people.user_changed(text(user.get("team_id")) or _team(body), user)


def uninstalled(body: Json, context: BoltContext, services: Services) -> None:
    services.workspaces.uninstalled(
        context.team_id or _team(body), context.enterprise_id or "", services.clock.now()
    )


def tokens_revoked(event: Json, body: Json, context: BoltContext, services: Services) -> None:
    if mapping(event.get("tokens")).get("bot"):  # the app holds no user tokens
        uninstalled(body, context, services)


def dnd_updated(event: Json, body: Json, services: Services) -> None:
    services.people.dnd_changed(
        _team(body), text(event.get("user")), mapping(event.get("dnd_status"))
    )


def register(app: App) -> None:
    app.event("app_home_opened")(home_opened)
    app.event("user_change")(user_changed)
    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(tokens_revoked)
    app.event("dnd_updated_user")(dnd_updated)
