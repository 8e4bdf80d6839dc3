"""Reminder use cases: opt in and out, pause and resume, settings, snooze and skip."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.db.availability import apply_dnd, apply_user
from bot.db.models import Nudge, Pause, Person
from bot.db.nudges import create_snooze, own_nudge, record_nudge_outcome
from bot.db.people import (
    plan_weekly_summary,
    preferences_of,
    replan,
    schedule_for,
    store_preferences,
)
from bot.domain.pause import describe_until, parse_pause
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.preferences import Preferences
from bot.domain.reminders import ReminderStatus
from bot.domain.schedule import describe
from bot.services.use_cases import UseCases

SNOOZE_FOR = timedelta(minutes=10)


class ReminderService(UseCases):
    def turn_on(self, who: SlackUser, profile: SlackProfile) -> ReminderStatus:
        """Opt in. Refreshes time zone, status and DND from Slack, then plans the first nudge."""
        now = self._clock.now()
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            user, dnd = profile.user(), profile.dnd()
            if user:
                apply_user(person, user, now)
            if dnd is not None:
                apply_dnd(person, dnd, now)
            person.reminders_on = True
            person.deactivated_at = None
            replan(person, now)
            plan_weekly_summary(person, now)  # the profile may have brought a new zone
            return reminder_status(person)

    def turn_off(self, who: SlackUser, profile: SlackProfile) -> ReminderStatus:
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            person.reminders_on = False
            person.next_nudge_at = None
            return reminder_status(person)

    def pause(self, who: SlackUser, profile: SlackProfile, text: str) -> tuple[str, ReminderStatus]:
        """Raises `PauseParseError` (a message for the person) when `text` is not a pause."""
        now = self._clock.now()
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            schedule = schedule_for(person)
            person.paused_until = parse_pause(text, now, schedule.tz, schedule.work_days)
            session.add(Pause(person_id=person.id, start=now, end=person.paused_until))
            replan(person, now)
            return describe_until(person.paused_until, schedule.tz, now), reminder_status(person)

    def resume(self, who: SlackUser, profile: SlackProfile) -> ReminderStatus:
        now = self._clock.now()
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            person.paused_until = None
            session.execute(  # the pause ends now: the rest of it must not excuse a missed day
                update(Pause).where(Pause.person_id == person.id, Pause.end > now).values(end=now)
            )
            replan(person, now)
            return reminder_status(person)

    def preferences(self, who: SlackUser, profile: SlackProfile) -> tuple[Preferences, str]:
        """The person's preferences and their Slack profile's zone (for the Settings modal)."""
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            return preferences_of(person), person.tz

    def save_preferences(
        self, who: SlackUser, profile: SlackProfile, preferences: Preferences
    ) -> ReminderStatus:
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            store_preferences(person, preferences)
            replan(person, self._clock.now())
            plan_weekly_summary(person, self._clock.now())
            return reminder_status(person)

    def snooze(self, who: SlackUser, nudge_id: int) -> tuple[datetime, str] | None:
        """Re-nudge once, ten minutes from now. Returns (when, zone), or None if not theirs."""
        now = self._clock.now()
        with self._sessions.begin() as session:
            owned = own_nudge(session, who, nudge_id)
            if owned is None:
                return None
            person, nudge = owned
            record_nudge_outcome(session, person, nudge_id, "snoozed", now)
            create_snooze(session, nudge, person, now, SNOOZE_FOR)
            again = session.scalar(select(Nudge.slot_at).where(Nudge.snoozed_from == nudge_id))
            return again, person.zone_name

    def skip(
        self, who: SlackUser, nudge_id: int
    ) -> tuple[datetime | None, str, datetime | None] | None:
        """Returns (the next nudge, zone, when the skip was recorded — None if the nudge had
        another answer already), or None if the nudge is not theirs."""
        now = self._clock.now()
        with self._sessions.begin() as session:
            owned = own_nudge(session, who, nudge_id)
            if owned is None:
                return None
            person, nudge = owned
            record_nudge_outcome(session, person, nudge_id, "skipped", now)
            session.refresh(nudge)
            skipped_at = nudge.outcome_at if nudge.outcome == "skipped" else None
            return person.next_nudge_at, person.zone_name, skipped_at


def reminder_status(person: Person) -> ReminderStatus:
    """Where the person's reminders stand, from their row (already looked up)."""
    return ReminderStatus(
        on=person.reminders_on,
        schedule=describe(schedule_for(person)),
        next_at=person.next_nudge_at,
        paused_until=person.paused_until,
        tz=person.zone_name,
    )
