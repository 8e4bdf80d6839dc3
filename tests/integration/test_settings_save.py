"""The Settings modal is saved as one: a failure half-way through saves none of it."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from bot.db.models import Person
from bot.domain.holidays import HolidayChoice
from bot.domain.preferences import Preferences
from bot.domain.work_pattern import WorkPattern
from bot.services import settings
from bot.services.settings import SettingsForm
from tests.support.delivery_sim import WEEKDAYS, Member

pytestmark = pytest.mark.db

ME = Member(
    "U0001",
    "Europe/Berlin",
    Preferences(WorkPattern.every(WEEKDAYS, time(9), time(17)), 60, "office"),
    "done",
)
FORM = SettingsForm(
    Preferences(WorkPattern.every(WEEKDAYS, time(8), time(16)), 30, "home"),
    HolidayChoice("DE", "BY"),
    restrictions=["no_floor_at_office"],
    bring_back=[],
    language="de",
)


def _me(container) -> tuple:
    with container.sessions() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == ME.user_id))
        return (person.interval_minutes, person.place, person.holiday_country, person.language)


def test_all_of_the_form_is_saved_together(container):
    container.services.reminders.save_preferences(ME.who, ME.profile, ME.preferences)

    container.services.settings.save(ME.who, ME.profile, FORM)

    assert _me(container) == (30, "home", "DE", "de")


def test_a_failure_half_way_saves_none_of_it(container, monkeypatch):
    container.services.reminders.save_preferences(ME.who, ME.profile, ME.preferences)

    def lost_database(*_args) -> None:  # after the hours and holidays were set on the row
        raise ConnectionError("the database went away")

    monkeypatch.setattr(settings, "store_restrictions", lost_database)
    with pytest.raises(ConnectionError):
        container.services.settings.save(ME.who, ME.profile, FORM)

    assert _me(container) == (60, "office", None, None)
