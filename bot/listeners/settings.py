"""The Settings modal: opened by `/stretch settings` or the Settings button; its submission shows
errors on the fields, or saves and confirms in the DM."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.fit import fit_settings_blocks, read_fit_settings
from bot.blocks.holiday_settings import holiday_blocks, read_holiday_choice
from bot.blocks.ids import OPEN_SETTINGS
from bot.blocks.language_settings import language_block, read_language
from bot.blocks.reminders import settings_saved_message
from bot.blocks.settings import SETTINGS_CALLBACK, settings_modal
from bot.blocks.settings_form import parse_submission
from bot.domain.holidays import HolidayChoice
from bot.domain.people import SlackUser
from bot.domain.preferences import Preferences
from bot.listeners.identity import clicker
from bot.listeners.payloads import Json, mapping
from bot.services.settings import SettingsForm
from bot.slack.profiles import ClientProfile

if TYPE_CHECKING:
    from bot.services.container import Services


def open_settings(
    services: Services, client: WebClient, trigger_id: str, who: SlackUser, profile: ClientProfile
) -> None:
    preferences, profile_tz = services.reminders.preferences(who, profile)
    fit = services.fit.settings(who, profile)
    spoken = services.languages.current(who, profile)
    more = [
        language_block(spoken.chosen, spoken.slack_language),
        *holiday_blocks(services.days_off.holiday_setting(who, profile)),
        *fit_settings_blocks(fit.restrictions, fit.hidden),
    ]
    client.views_open(trigger_id=trigger_id, view=settings_modal(preferences, profile_tz, more))


def settings_button(ack: Ack, body: Json, client: WebClient, services: Services) -> None:
    ack()
    who, profile = clicker(body, client)
    open_settings(services, client, body.get("trigger_id", ""), who, profile)


def settings_submitted(
    ack: Ack, body: Json, view: Json, client: WebClient, services: Services
) -> None:
    values = mapping(view.get("state")).get("values")
    parsed, holidays = parse_submission(values), read_holiday_choice(values)
    fit = read_fit_settings(values, view.get("blocks"))
    language = read_language(values)
    if (
        not isinstance(parsed, Preferences)
        or not isinstance(holidays, HolidayChoice)
        or not isinstance(fit, tuple)
        or isinstance(language, dict)
    ):
        errors = {
            **_errors_of(parsed),
            **_errors_of(holidays),
            **_errors_of(fit),
            **_errors_of(language),
        }
        ack(response_action="errors", errors=errors)
        return
    ack()
    who, profile = clicker(body, client)
    form = SettingsForm(parsed, holidays, *fit, language)
    status = services.settings.save(who, profile, form)  # the confirmation speaks its language
    saved = settings_saved_message(status, services.clock.now())
    client.chat_postMessage(channel=who.user_id, **saved.as_kwargs())
    services.home.refresh(client, who)


def _errors_of(read: object) -> dict[str, str]:
    return read if isinstance(read, dict) else {}


def register(app: App) -> None:
    app.action(OPEN_SETTINGS)(settings_button)
    app.view(SETTINGS_CALLBACK)(settings_submitted)
