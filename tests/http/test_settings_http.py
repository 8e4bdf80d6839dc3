"""The Settings modal through the real app: opened by `/stretch settings` and the Home tab,
validated on the fields, saved and confirmed."""

from __future__ import annotations

from bot.blocks.ids import OPEN_SETTINGS
from bot.blocks.settings import INTERVAL_BLOCK, SETTINGS_CALLBACK, TZ_BLOCK
from bot.blocks.work_hours import HOURS_BLOCKS
from bot.db.models import DEFAULT_WORK_PATTERN
from bot.db.people import schedule_for
from tests.support.answers import initial_state, opened_view
from tests.support.reminder_helpers import opt_in, person, wait_for
from tests.support.slack_limits import view_problems


def test_settings_command_opens_the_modal_with_current_values(slack, fake_slack):
    fake_slack.add_user("U0001", tz="Asia/Kathmandu")
    reply = slack.command("settings")
    assert reply.status == 200
    view = opened_view(fake_slack)
    assert view["callback_id"] == SETTINGS_CALLBACK
    assert "Asia/Kathmandu" in str(view)
    assert fake_slack.last_call("views.open").params["trigger_id"]


def test_invalid_settings_are_shown_on_the_fields(slack, fake_slack, container):
    fake_slack.add_user("U0001")
    slack.command("settings")
    values = initial_state(opened_view(fake_slack))
    values[HOURS_BLOCKS[1]][HOURS_BLOCKS[1]]["value"] = "9-12, noon-17"
    values[TZ_BLOCK][TZ_BLOCK]["value"] = "Mars/Olympus"
    reply = slack.view_submission(SETTINGS_CALLBACK, values)
    assert reply.status == 200
    body = reply.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) >= {HOURS_BLOCKS[1], TZ_BLOCK}
    assert "noon" in body["errors"][HOURS_BLOCKS[1]]
    assert person(container).work_pattern == DEFAULT_WORK_PATTERN  # nothing saved


def test_saved_settings_replan_and_confirm(slack, fake_slack, container, clock):
    opt_in(slack, fake_slack)
    before = person(container).next_nudge_at
    slack.action(OPEN_SETTINGS, "settings")
    values = initial_state(opened_view(fake_slack))
    values[INTERVAL_BLOCK][INTERVAL_BLOCK]["selected_option"] = {
        "text": {"type": "plain_text", "text": "Every 30 minutes"},
        "value": "30",
    }
    values[TZ_BLOCK][TZ_BLOCK]["value"] = "america/new_york"
    reply = slack.view_submission(SETTINGS_CALLBACK, values)
    assert reply.status == 200 and reply.body in ("", "{}")
    wait_for(lambda: fake_slack.messages("U0001"))
    saved = person(container)
    assert saved.interval_minutes == 30 and saved.tz_override == "America/New_York"
    assert saved.next_nudge_at != before
    assert "America/New_York, every 30 minutes" in fake_slack.messages("U0001")[0]["text"]
    wait_for(lambda: fake_slack.home("U0001") is not None)
    assert schedule_for(saved).tz == "America/New_York"


def test_home_tab_shows_reminders_and_its_buttons_work(slack, fake_slack, container):
    fake_slack.add_user("U0001")
    slack.event({"type": "app_home_opened", "user": "U0001", "tab": "home", "event_ts": "1.0"})
    wait_for(lambda: fake_slack.home("U0001") is not None)
    home = fake_slack.home("U0001")
    assert "Reminders are off" in str(home)
    assert view_problems(home) == []
    home_click = {"type": "view", "view_id": "V0001"}
    slack.action("reminders_on", "on", container=home_click)
    wait_for(lambda: "Reminders on" in str(fake_slack.home("U0001")))
    assert person(container).reminders_on
    slack.action("reminders_off", "off", container=home_click)
    wait_for(lambda: "Reminders are off" in str(fake_slack.home("U0001")))
    assert not person(container).reminders_on
