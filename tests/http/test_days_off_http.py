"""Time off and public holidays through the real app: `/stretch away` (set, list, cancel), the
Home section and its modal, the holiday country in Settings, the workspace default set by an
admin (and refused to anyone else), and the tick and the streak on those days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from bot.blocks.days_off import FIRST_DAY_BLOCK, LAST_DAY_BLOCK, TIME_OFF_CALLBACK
from bot.blocks.holiday_settings import HOLIDAY_COUNTRY_BLOCK, HOLIDAY_REGION_BLOCK
from bot.blocks.ids import CANCEL_TIME_OFF, DONE, PLAN_TIME_OFF
from bot.blocks.settings import SETTINGS_CALLBACK, SUMMARY_BLOCK, SUMMARY_ON
from bot.db.models import TimeOff, Workspace
from bot.db.people import schedule_for
from bot.domain.schedule import local_date
from tests.support.answers import ack_body, button, initial_state, opened_view
from tests.support.reminder_helpers import (
    nudges,
    opt_in,
    person,
    posted_nudges,
    run_tick_at,
    wait_for,
)
from tests.support.slack_limits import view_problems

HOME_CLICK = {"type": "view", "view_id": "V0001"}


def away(slack, text: str, user: str = "U0001") -> str:
    return ack_body(slack.command(f"away {text}".strip(), user=user))["text"]


def time_off_rows(container, user: str | None = None) -> list[tuple[date, date]]:
    with container.sessions() as session:
        query = select(TimeOff.first_day, TimeOff.last_day).order_by(TimeOff.first_day)
        if user is not None:
            query = query.where(TimeOff.person_id == person(container, user).id)
        return [tuple(row) for row in session.execute(query)]


def open_home(slack, fake_slack, user: str = "U0001") -> dict:
    before = len(fake_slack.calls_to("views.publish"))
    slack.event({"type": "app_home_opened", "user": user, "tab": "home", "event_ts": "1.0"})
    wait_for(lambda: len(fake_slack.calls_to("views.publish")) > before)
    return latest_home(fake_slack)


def latest_home(fake_slack) -> dict:
    view = fake_slack.calls_to("views.publish")[-1].params["view"]
    assert view_problems(view) == []
    return view


def open_settings(slack, fake_slack, user: str = "U0001") -> dict:
    """The Settings modal this command opens (not one opened before it)."""
    before = len(fake_slack.calls_to("views.open"))
    slack.command("settings", user=user)
    wait_for(lambda: len(fake_slack.calls_to("views.open")) > before)
    return opened_view(fake_slack)


def choose_holidays(slack, fake_slack, country: str, region: str = "", user: str = "U0001"):
    values = initial_state(open_settings(slack, fake_slack, user))
    values[HOLIDAY_COUNTRY_BLOCK][HOLIDAY_COUNTRY_BLOCK]["selected_option"] = {
        "text": {"type": "plain_text", "text": country},
        "value": country,
    }
    values[HOLIDAY_REGION_BLOCK][HOLIDAY_REGION_BLOCK]["value"] = region
    return slack.view_submission(SETTINGS_CALLBACK, values, user=user)


# --- /stretch away -----------------------------------------------------------------------------


def test_away_plans_lists_and_cancels_time_off(slack, fake_slack, container):
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    answer = away(slack, "24 dec - 2 jan")
    assert "Time off planned: Thu 24 Dec – Sat 2 Jan 2027 (10 days)" in answer
    assert "already planned" in away(slack, "dec 24 - jan 2")  # a retry: planned once
    away(slack, "tomorrow")
    assert time_off_rows(container) == [
        (date(2026, 11, 25), date(2026, 11, 25)),
        (date(2026, 12, 24), date(2027, 1, 2)),
    ]
    listed = away(slack, "list")
    assert "1. Wed 25 Nov" in listed and "2. Thu 24 Dec – Sat 2 Jan 2027" in listed
    assert "Cancel" in away(slack, "")  # `/stretch away` alone lists too
    assert "cancelled" in away(slack, "cancel 2")
    assert time_off_rows(container) == [(date(2026, 11, 25), date(2026, 11, 25))]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("31 feb", "isn't a date on the calendar"),
        ("2026-11-01", "already past"),
        ("2026-12-01 - 2028-01-01", "at most a year"),
        ("next week maybe", "couldn't read"),
        ("<!channel>", "couldn't read"),
        ("cancel 1", "no planned time off numbered"),
        ("cancel first", "by its number"),
    ],
)
def test_bad_away_input_gets_a_clear_answer_and_saves_nothing(
    slack, fake_slack, container, text, says
):
    fake_slack.add_user("U0001")
    answer = away(slack, text)
    assert says in answer
    assert "<!channel>" not in answer
    assert time_off_rows(container) == []


def test_nobody_cancels_someone_elses_time_off(slack, fake_slack, container):
    fake_slack.add_user("U0001")
    fake_slack.add_user("U0002")
    away(slack, "24 dec", user="U0002")
    assert "no planned time off numbered" in away(slack, "cancel 1", user="U0001")
    [(theirs_id,)] = _ids(container)
    slack.action(CANCEL_TIME_OFF, f'{{"time_off":{theirs_id}}}', container=HOME_CLICK)
    wait_for(lambda: fake_slack.calls_to("views.publish"))
    assert time_off_rows(container, "U0002") == [(date(2026, 12, 24), date(2026, 12, 24))]


def _ids(container) -> list[tuple[int]]:
    with container.sessions() as session:
        return [tuple(row) for row in session.execute(select(TimeOff.id))]


# --- the App Home and its modal ----------------------------------------------------------------


def test_home_shows_time_off_and_plans_it_through_the_modal(slack, fake_slack, container):
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    home = open_home(slack, fake_slack)
    assert "Time off and holidays" in str(home) and "No time off planned" in str(home)
    slack.action(PLAN_TIME_OFF, "plan", container=HOME_CLICK)
    view = opened_view(fake_slack)
    assert view["callback_id"] == TIME_OFF_CALLBACK
    values = initial_state(view)
    assert values[FIRST_DAY_BLOCK][FIRST_DAY_BLOCK]["selected_date"] == "2026-11-24"

    values[FIRST_DAY_BLOCK][FIRST_DAY_BLOCK]["selected_date"] = "2026-12-10"
    values[LAST_DAY_BLOCK][LAST_DAY_BLOCK]["selected_date"] = "2026-12-01"
    backwards = slack.view_submission(TIME_OFF_CALLBACK, values).json()
    assert backwards["response_action"] == "errors" and LAST_DAY_BLOCK in backwards["errors"]
    values[FIRST_DAY_BLOCK][FIRST_DAY_BLOCK]["selected_date"] = "2026-11-01"
    past = slack.view_submission(TIME_OFF_CALLBACK, values).json()
    assert set(past["errors"]) == {FIRST_DAY_BLOCK}
    del values[LAST_DAY_BLOCK]
    missing = slack.view_submission(TIME_OFF_CALLBACK, values).json()
    assert set(missing["errors"]) == {LAST_DAY_BLOCK}
    assert time_off_rows(container) == []  # nothing saved from an invalid submission

    values = initial_state(view)
    values[FIRST_DAY_BLOCK][FIRST_DAY_BLOCK]["selected_date"] = "2026-12-01"
    values[LAST_DAY_BLOCK][LAST_DAY_BLOCK]["selected_date"] = "2026-12-04"
    reply = slack.view_submission(TIME_OFF_CALLBACK, values)
    assert reply.status == 200 and reply.body in ("", "{}")
    assert time_off_rows(container) == [(date(2026, 12, 1), date(2026, 12, 4))]
    wait_for(lambda: "Tue 1 Dec – Fri 4 Dec" in str(latest_home(fake_slack)))

    cancel = button(latest_home(fake_slack), CANCEL_TIME_OFF)
    slack.action(CANCEL_TIME_OFF, cancel["value"], container=HOME_CLICK)
    wait_for(lambda: "No time off planned" in str(latest_home(fake_slack)))
    assert time_off_rows(container) == []


# --- public holidays ---------------------------------------------------------------------------


def test_a_person_picks_their_holiday_country_in_settings(slack, fake_slack, container):
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    refused = choose_holidays(slack, fake_slack, "DE", "Narnia").json()
    assert refused["response_action"] == "errors"
    assert "BY" in refused["errors"][HOLIDAY_REGION_BLOCK]
    assert person(container).holiday_country is None  # nothing saved
    assert choose_holidays(slack, fake_slack, "DE", "bayern").status == 200
    wait_for(lambda: person(container).holiday_country == "DE")
    assert person(container).holiday_subdivision == "BY"
    shown = initial_state(open_settings(slack, fake_slack))
    assert shown[HOLIDAY_COUNTRY_BLOCK][HOLIDAY_COUNTRY_BLOCK]["selected_option"]["value"] == "DE"
    assert "Public holidays of Germany (BY)" in str(open_home(slack, fake_slack))
    assert choose_holidays(slack, fake_slack, "none").status == 200
    wait_for(lambda: person(container).holiday_country == "none")


def workspace_default(container) -> tuple[str | None, str | None]:
    with container.sessions() as session:
        row = session.execute(select(Workspace.holiday_country, Workspace.holiday_subdivision))
        return tuple(row.one())


def test_only_a_workspace_admin_sets_the_default(slack, fake_slack, container):
    fake_slack.add_user("U0001")
    fake_slack.add_user("U0009", is_admin=True)
    fake_slack.add_user("U0010", is_owner=True)
    away(slack, "list")  # the workspace and its first person exist

    refused = slack.command("admin holidays DE", user="U0001", is_admin="true")
    wait_for(lambda: fake_slack.calls_to("response_url"))
    answer = fake_slack.calls_to("response_url")[-1].params["text"]
    assert refused.status == 200 and "Only a workspace admin or owner" in answer
    assert workspace_default(container) == (None, None)

    slack.command("admin holidays de by", user="U0009")
    wait_for(lambda: workspace_default(container) == ("DE", "BY"))
    assert "Workspace default (Germany (BY))" in str(open_settings(slack, fake_slack))

    before = len(fake_slack.calls_to("response_url"))
    slack.command("admin holidays XX", user="U0010")
    wait_for(lambda: len(fake_slack.calls_to("response_url")) > before)
    assert "two-letter country code" in fake_slack.calls_to("response_url")[-1].params["text"]
    assert workspace_default(container) == ("DE", "BY")
    slack.command("admin holidays off", user="U0010")
    wait_for(lambda: workspace_default(container) == (None, None))


# --- the tick and the streak on days off --------------------------------------------------------


def _done_now(slack, fake_slack) -> None:
    before = len(fake_slack.calls_to("response_url"))
    slack.action(DONE, button(ack_body(slack.command("")), DONE)["value"])
    wait_for(lambda: len(fake_slack.calls_to("response_url")) > before)


def test_no_nudge_on_a_public_holiday_and_the_streak_holds_over_it(
    slack, fake_slack, container, clock
):
    fake_slack.add_user("U0009", is_admin=True)
    clock.set(datetime(2026, 12, 24, 9, 0, tzinfo=UTC))  # Thursday, 10:00 in Berlin
    opt_in(slack, fake_slack)
    slack.command("admin holidays DE", user="U0009")
    wait_for(lambda: workspace_default(container) == ("DE", None))
    _done_now(slack, fake_slack)

    # Thursday's nudges, then Friday 25 (Christmas) and Saturday 26 (a holiday, and no work day).
    moment = clock.now()
    while moment < datetime(2026, 12, 27, 23, 0, tzinfo=UTC):
        moment += timedelta(minutes=30)
        run_tick_at(container, clock, moment)
    schedule = schedule_for(person(container))
    sent = [nudge for nudge in nudges(container) if nudge.status == "sent"]
    assert sent and len(sent) == len(posted_nudges(fake_slack))
    assert {local_date(schedule, nudge.slot_at) for nudge in nudges(container)} == {
        date(2026, 12, 24)
    }
    assert local_date(schedule, person(container).next_nudge_at) == date(2026, 12, 28)

    clock.set(datetime(2026, 12, 28, 9, 0, tzinfo=UTC))  # Monday
    _done_now(slack, fake_slack)
    stats = ack_body(slack.command("stats"))["text"]
    assert "2-day streak" in stats  # Thursday and Monday: Christmas did not break it


def test_no_nudge_on_time_off_and_the_next_one_after_it(slack, fake_slack, container, clock):
    opt_in(slack, fake_slack)  # Tuesday 24 November, 11:00 in Berlin
    assert "Time off planned" in away(slack, "today - wed")
    schedule = schedule_for(person(container))
    assert local_date(schedule, person(container).next_nudge_at) == date(2026, 11, 26)
    moment = clock.now()
    while moment < datetime(2026, 11, 26, 7, 0, tzinfo=UTC):
        moment += timedelta(minutes=30)
        run_tick_at(container, clock, moment)
    assert posted_nudges(fake_slack) == []
    run_tick_at(container, clock, person(container).next_nudge_at)
    assert len(posted_nudges(fake_slack)) == 1
    with container.sessions() as session:
        assert session.scalar(select(func.count()).select_from(TimeOff)) == 1


def test_no_weekly_summary_for_a_week_spent_away(slack, fake_slack, container, clock):
    opt_in(slack, fake_slack)
    values = initial_state(open_settings(slack, fake_slack))
    values[SUMMARY_BLOCK][SUMMARY_BLOCK]["selected_options"] = [
        {"text": {"type": "plain_text", "text": "Send me a weekly summary"}, "value": SUMMARY_ON}
    ]
    assert slack.view_submission(SETTINGS_CALLBACK, values).status == 200
    wait_for(lambda: person(container).weekly_summary)
    away(slack, "mon - fri")  # Monday 30 November to Friday 4 December
    before = len(fake_slack.messages("U0001"))

    def summaries() -> list[dict]:
        return [m for m in fake_slack.messages("U0001")[before:] if "week" in m["text"].lower()]

    for friday in (date(2026, 12, 4), date(2026, 12, 11)):
        evening = datetime.combine(friday, time(16, 30), tzinfo=UTC)  # 17:30 in Berlin
        run_tick_at(container, clock, evening)
        run_tick_at(container, clock, evening + timedelta(minutes=5))
        if friday == date(2026, 12, 4):
            assert summaries() == []  # every work day of that week was off
    assert len(summaries()) == 1  # the week after, back at work
