"""Events: the App Home tab, and keeping time zones, statuses and DND windows fresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.listeners.identity import person_of
from bot.listeners.payloads import Json, mapping, text

if TYPE_CHECKING:
    from bot.services.container import Services


def home_opened(event: Json, body: Json, client: WebClient, services: Services) -> None:
    who = person_of(body)
    if event.get("tab", "home") == "home" and who.user_id:
        services.home.publish(client, who)


def user_changed(event: Json, body: Json, services: Services) -> None:
    user = mapping(event.get("user"))
    user["profile"] = mapping(user.get("profile"))
    services.people.user_changed(person_of(body), user)


def uninstalled(body: Json, context: BoltContext, services: Services) -> None:
    """A workspace's uninstall names its team; an org-wide one names only the org, and stops
    every workspace of it."""
    services.workspaces.uninstalled(
        context.team_id or text(body.get("team_id")),
        context.enterprise_id or "",
        services.clock.now(),
        org_wide=bool(context.is_enterprise_install),
    )


def tokens_revoked(event: Json, body: Json, context: BoltContext, services: Services) -> None:
    if mapping(event.get("tokens")).get("bot"):  # the app holds no user tokens
        uninstalled(body, context, services)


def dnd_updated(event: Json, body: Json, services: Services) -> None:
    services.people.dnd_changed(person_of(body), mapping(event.get("dnd_status")))


def register(app: App) -> None:
    app.event("app_home_opened")(home_opened)
    app.event("user_change")(user_changed)
    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(tokens_revoked)
    app.event("dnd_updated_user")(dnd_updated)
