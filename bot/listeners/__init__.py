"""Slack glue: parse the payload, call a service, ack or respond. No business logic here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.listeners import actions, challenge_actions, commands, errors, events, views

if TYPE_CHECKING:
    from bot.services.container import Services


def register_listeners(app: App, services: Services) -> None:
    for module in (commands, actions, challenge_actions, views, events, errors):
        module.register(app, services)
