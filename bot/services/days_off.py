"""Days-off use cases: plan, list and cancel time off; choose public holidays, for oneself or, as a
workspace admin, for the workspace. Every change replans the next nudge past the days off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.db.days_off import (
    add_time_off,
    cancel_time_off,
    days_off_of,
    set_workspace_region,
    upcoming_time_off,
    workspace_region,
)
from bot.db.models import Nudge, Person
from bot.db.people import ensure_workspace, replan, schedule_for
from bot.domain.days_off import DaysOffOverview, PlannedTimeOff
from bot.domain.holidays import (
    HolidayChoice,
    HolidayRegion,
    HolidaySetting,
    checked_region,
    next_holiday,
)
from bot.domain.i18n import ngettext
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.schedule import local_date
from bot.domain.time_off import (
    MAX_PLANNED,
    DateSpan,
    TimeOffParseError,
    checked_span,
    parse_time_off,
)
from bot.domain.zones import day_start
from bot.services.use_cases import UseCases
from bot.slack.admins import is_workspace_admin


@dataclass(frozen=True)
class TimeOffPlanned:
    span: DateSpan
    today: date
    added: bool  # False: exactly this span was already planned


@dataclass(frozen=True)
class TimeOffCancelled:
    span: DateSpan
    today: date


@dataclass(frozen=True)
class WorkspaceHolidays:
    """The answer to `/stretch admin holidays`: the new default, or why nothing changed."""

    allowed: bool
    region: HolidayRegion | None = None


class DaysOffService(UseCases):
    def plan_text(self, who: SlackUser, profile: SlackProfile, text: str) -> TimeOffPlanned:
        """Plan time off typed as `/stretch away <text>`; raises `TimeOffParseError` (a message
        for the person) when the text is not a span that may be planned."""
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            today = self._today(person)
            return self._plan(session, person, parse_time_off(text, today), today)

    def plan_dates(
        self, who: SlackUser, profile: SlackProfile, first: date, last: date
    ) -> TimeOffPlanned:
        """Plan time off picked in the Home tab's modal; raises `TimeOffParseError` likewise."""
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            today = self._today(person)
            return self._plan(session, person, checked_span(first, last, today), today)

    def overview(self, who: SlackUser, profile: SlackProfile) -> DaysOffOverview:
        with self._sessions.begin() as session:  # may meet the person for the first time
            return overview_of(session, self._person(session, who, profile), self._clock.now())

    def cancel_numbered(
        self, who: SlackUser, profile: SlackProfile, number: int
    ) -> TimeOffCancelled | None:
        """Cancel the person's `number`-th upcoming time off as `/stretch away list` numbers it;
        None when there is no such number."""
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            today = self._today(person)
            planned = upcoming_time_off(session, person, today)
            if not 1 <= number <= len(planned):
                return None
            return self._cancel(session, person, planned[number - 1].id, today)

    def cancel(
        self, who: SlackUser, profile: SlackProfile, time_off_id: int
    ) -> TimeOffCancelled | None:
        """Cancel by row id (a Home tab button); None unless it is the clicker's own and not
        over — a copied or forged button value changes nothing."""
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            return self._cancel(session, person, time_off_id, self._today(person))

    def holiday_setting(self, who: SlackUser, profile: SlackProfile) -> HolidaySetting:
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            own = HolidayChoice(person.holiday_country, person.holiday_subdivision)
            return HolidaySetting(own, workspace_region(session, person.workspace_id))

    def set_workspace_holidays(
        self, who: SlackUser, profile: SlackProfile, client: WebClient, words: str
    ) -> WorkspaceHolidays:
        """`/stretch admin holidays <CC> [SUBDIV]` or `off`: the workspace default, set only by
        one of its Slack admins or owners (asked of Slack, never read from the request). Raises
        `UnknownRegion` for a country or subdivision the holidays package does not know."""
        if not is_workspace_admin(client, who.user_id):
            return WorkspaceHolidays(allowed=False)
        country, _, subdivision = words.strip().partition(" ")
        region = None if country.lower() == "off" else checked_region(country, subdivision)
        with self._sessions.begin() as session:
            self._person(session, who, profile)
            # The workspace asked from, as the Admin modal (`bot.services.admin`) edits it: in
            # Grid an admin's row may belong to another workspace of the org.
            now = self._clock.now()
            workspace_id = ensure_workspace(session, who.team_id, who.enterprise_id, now)
            set_workspace_region(session, workspace_id, region)
        return WorkspaceHolidays(allowed=True, region=region)

    # --- shared steps ------------------------------------------------------------------------

    def _today(self, person: Person) -> date:
        return local_date(schedule_for(person), self._clock.now())

    def _plan(
        self, session: Session, person: Person, span: DateSpan, today: date
    ) -> TimeOffPlanned:
        if len(upcoming_time_off(session, person, today)) >= MAX_PLANNED:
            raise TimeOffParseError(
                ngettext(
                    "You already have {n} span of time off planned. Cancel it first "
                    "(`/stretch away list`, then `/stretch away cancel N`).",
                    "You already have {n} spans of time off planned. Cancel one first "
                    "(`/stretch away list`, then `/stretch away cancel N`).",
                    MAX_PLANNED,
                )
            )
        added = add_time_off(session, person, span, self._clock.now())
        _drop_pending_nudges(session, person, span)
        replan(person, self._clock.now())
        return TimeOffPlanned(span, today, added)

    def _cancel(
        self, session: Session, person: Person, time_off_id: int, today: date
    ) -> TimeOffCancelled | None:
        planned = {entry.id: entry for entry in upcoming_time_off(session, person, today)}
        entry = planned.get(time_off_id)
        if entry is None or not cancel_time_off(session, person, time_off_id, today):
            return None
        replan(person, self._clock.now())
        return TimeOffCancelled(DateSpan(entry.first_day, entry.last_day), today)


def overview_of(session: Session, person: Person, now: datetime) -> DaysOffOverview:
    """The person's upcoming time off, their holidays' region and its next holiday."""
    today = local_date(schedule_for(person), now)
    days_off = days_off_of(session, person, today)
    planned = tuple(
        PlannedTimeOff(entry.id, DateSpan(entry.first_day, entry.last_day))
        for entry in upcoming_time_off(session, person, today)
    )
    return DaysOffOverview(today, planned, days_off.region, next_holiday(days_off.region, today))


def _drop_pending_nudges(session: Session, person: Person, span: DateSpan) -> None:
    """A nudge already planned (or held for a meeting) inside new time off is not sent."""
    zone = schedule_for(person).zone
    session.execute(
        update(Nudge)
        .where(
            Nudge.person_id == person.id,
            Nudge.status == "pending",
            Nudge.slot_at >= day_start(span.first, zone),
            Nudge.slot_at < day_start(span.last + timedelta(days=1), zone),
        )
        .values(status="dropped", note="time off")
    )
