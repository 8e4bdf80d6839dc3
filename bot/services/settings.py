"""The Settings modal saved as one: work hours and reminders, public holidays, what suits the
person's body and what they hid, and their language — in one transaction, so a failure half-way
(a crash, a lost database) saves none of it rather than some."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.db.fit import store_restrictions, unhide
from bot.db.people import plan_weekly_summary, replan, store_preferences
from bot.domain.fit import Restriction
from bot.domain.holidays import HolidayChoice
from bot.domain.i18n import speak_from_now
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.preferences import Preferences
from bot.domain.reminders import ReminderStatus
from bot.services.languages import choose_language, spoken_language
from bot.services.reminders import reminder_status
from bot.services.use_cases import UseCases


@dataclass(frozen=True)
class SettingsForm:
    """The modal's answers, read and checked by the blocks' readers."""

    preferences: Preferences
    holidays: HolidayChoice
    restrictions: Collection[Restriction]
    bring_back: Collection[str]  # exercises they hid and want offered again
    language: str | None  # None: the modal had no language field (opened before it existed)


class SettingsService(UseCases):
    def save(self, who: SlackUser, profile: SlackProfile, form: SettingsForm) -> ReminderStatus:
        """Everything in `form`, or nothing; the rest of the request speaks the language saved."""
        now = self._clock.now()
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            store_preferences(person, form.preferences)
            person.holiday_country = form.holidays.country
            person.holiday_subdivision = form.holidays.subdivision
            store_restrictions(person, form.restrictions)
            if form.bring_back:
                unhide(session, person, form.bring_back, now)
            if form.language is not None:
                choose_language(person, form.language)
            replan(person, now)
            plan_weekly_summary(person, now)
            status = reminder_status(person)
            spoken = spoken_language(session, person)
        speak_from_now(spoken.language, person.slack_locale)
        return status
