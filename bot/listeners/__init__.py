"""Slack glue: parse the payload, call a service, ack or respond. No business logic here.

Every listener is a plain module-level function. Bolt calls it with the arguments it names
(`ack`, `body`, `client`, …) and with any key of the request context: `ServicesInContext`
puts the use cases there, so a listener that needs them takes a `services: Services` parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.listeners import (
    admin,
    card_buttons,
    challenge_buttons,
    commands,
    days_off,
    errors,
    events,
    fit_buttons,
    group_breaks,
    guided,
    privacy,
    reminder_buttons,
    self_reports,
    settings,
    team_library,
    undo_buttons,
)
from bot.listeners.speech import SpeakTheirLanguage

if TYPE_CHECKING:
    from bot.services.container import Services


class ServicesInContext(Middleware):
    """`context["services"] = services` for every request, over HTTP and Socket Mode alike (both
    go through `App.dispatch`). A class rather than a function middleware: Bolt calls `process`
    directly, without building keyword arguments for it, so the ack pays for one dict write."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        req.context["services"] = self._services
        return next()


def register_listeners(app: App, services: Services) -> None:
    app.middleware(ServicesInContext(services))
    app.middleware(SpeakTheirLanguage(services.people))
    for module in (
        commands,
        card_buttons,
        fit_buttons,
        reminder_buttons,
        settings,
        admin,
        days_off,
        privacy,
        challenge_buttons,
        team_library,
        undo_buttons,
        self_reports,
        guided,
        group_breaks,
        events,
        errors,
    ):
        module.register(app)
