"""Work hours by command: show a person's week, or set it from `/stretch hours …` text."""

from __future__ import annotations

from dataclasses import replace

from bot.db.people import plan_weekly_summary, preferences_of, replan, store_preferences
from bot.domain.hours_text import parse_week
from bot.domain.i18n import ngettext
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.reminders import ReminderStatus
from bot.domain.work_pattern import WorkPattern, WorkPatternError
from bot.services.reminders import reminder_status
from bot.services.use_cases import UseCases


class WorkHoursService(UseCases):
    def week(self, who: SlackUser, profile: SlackProfile) -> tuple[WorkPattern, ReminderStatus]:
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            return preferences_of(person).work_pattern, reminder_status(person)

    def set_week(
        self, who: SlackUser, profile: SlackProfile, text: str
    ) -> tuple[WorkPattern, ReminderStatus]:
        """Save the week `text` describes and re-plan. Raises `WorkPatternError` (a message for
        the person) when it cannot be read or no reminder fits in it; then nothing is saved."""
        pattern = parse_week(text)
        now = self._clock.now()
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            preferences = replace(preferences_of(person), work_pattern=pattern)
            try:
                preferences.schedule(person.tz, offset_seconds=0)
            except ValueError:
                raise WorkPatternError(
                    ngettext(
                        "No reminder every {n} minute fits in those hours outside lunch: give "
                        "longer hours, or choose a shorter interval in `/stretch settings`.",
                        "No reminder every {n} minutes fits in those hours outside lunch: give "
                        "longer hours, or choose a shorter interval in `/stretch settings`.",
                        preferences.interval_minutes,
                    )
                ) from None
            store_preferences(person, preferences)
            replan(person, now)
            plan_weekly_summary(person, now)
            return pattern, reminder_status(person)
