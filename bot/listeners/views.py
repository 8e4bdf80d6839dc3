"""The Settings modal's submission: errors shown on the fields, or saved and confirmed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.reminders import settings_saved_message
from bot.blocks.settings import SETTINGS_CALLBACK
from bot.blocks.settings_form import parse_submission
from bot.domain.preferences import Preferences
from bot.listeners.payloads import user_from_interaction
from bot.slack.profiles import ClientProfile

if TYPE_CHECKING:
    from bot.services.container import Services


def register(app: App, services: Services) -> None:
    @app.view(SETTINGS_CALLBACK)
    def on_settings(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        parsed = parse_submission((view.get("state") or {}).get("values"))
        if not isinstance(parsed, Preferences):
            ack(response_action="errors", errors=parsed)
            return
        ack()
        who = user_from_interaction(body)
        status = services.reminders.save_preferences(
            who, ClientProfile(client, who.user_id), parsed
        )
        saved = settings_saved_message(status, services.clock.now())
        client.chat_postMessage(channel=who.user_id, **saved.as_kwargs())
        services.home.refresh(client, who)
