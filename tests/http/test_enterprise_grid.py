"""Enterprise Grid and Slack Connect through the real app (one bot token): the payload shapes
Slack sends for Grid commands, clicks with and without `enterprise`, view submissions and
events all name one person, who sees the same progress in `/stretch stats` and the App Home;
someone of another company in a shared channel takes part in a challenge as their own person.
(An org-wide install in distribution mode: test_org_wide_install.py.)"""

from __future__ import annotations

import json
import urllib.parse

import pytest
from sqlalchemy import func, select

from bot.blocks.fit import fit_settings_blocks
from bot.blocks.holiday_settings import holiday_blocks
from bot.blocks.ids import CHALLENGE_DONE, CHALLENGE_JOIN, DONE, OPEN_SETTINGS
from bot.blocks.settings import INTERVAL_BLOCK, SETTINGS_CALLBACK, settings_modal
from bot.db.models import (
    ChallengeDay,
    ChallengeDone,
    ChallengeMember,
    Completion,
    Person,
    Workspace,
)
from bot.domain.holidays import NOTHING_CHOSEN
from tests.support.answers import ack_body, button, button_value, initial_state, opened_view
from tests.support.challenges import CHANNEL, channel_posts
from tests.support.grid_payloads import (
    ORG,
    grid_block_action,
    grid_command,
    grid_event,
    view_submission,
)
from tests.support.oauth import distribution_app, install
from tests.support.reminder_helpers import wait_for
from tests.support.signed_requests import SIGNING_SECRET, SlackSender

GRID_USER = "W0001"  # one user id in every workspace of the org


@pytest.fixture
def org(fake_slack):
    fake_slack.add_org(ORG, "T0001", "T0002")
    fake_slack.add_user(GRID_USER, tz="Europe/Berlin", team_id="T0001")


def command(slack, text: str, team: str) -> dict:
    form = grid_command(text, slack.response_url, user=GRID_USER, team=team)
    return ack_body(slack.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded"))


def click(slack, fake_slack, action_id: str, value: str, team: str, org_in: str) -> None:
    before = len(fake_slack.calls)
    payload = grid_block_action(
        action_id, value, slack.response_url, user=GRID_USER, team=team, org_in=org_in
    )
    assert slack.interaction(payload).status == 200
    wait_for(lambda: len(fake_slack.calls) > before)


def people(container) -> list[tuple[str, str, str]]:
    with container.sessions() as session:
        rows = session.execute(
            select(Workspace.enterprise_id, Workspace.team_id, Person.slack_user_id).join(Person)
        ).all()
    return [tuple(row) for row in rows]


def numbers_block(blocks: list[dict]) -> dict:
    """The streaks-and-totals section that `/stretch stats` and the Home both show."""
    return next(b for b in blocks if any("*Total*" in f["text"] for f in b.get("fields", [])))


def test_a_grid_person_is_one_person_whichever_way_slack_names_their_org(
    slack, container, fake_slack, org
):
    command(slack, "on", "T0001")
    # A Done in T0001, the org only in `team.enterprise_id` (bolt-python's Grid fixture) …
    card = command(slack, "", "T0001")
    click(slack, fake_slack, DONE, button(card, DONE)["value"], "T0001", org_in="team")
    # … and one in the org's other workspace, with `enterprise`.
    card = command(slack, "", "T0002")
    click(slack, fake_slack, DONE, button(card, DONE)["value"], "T0002", org_in="enterprise")
    wait_for(lambda: _count(container, Completion) == 2)

    # Settings opened by a click and submitted with the org only in `team.enterprise_id`.
    click(slack, fake_slack, OPEN_SETTINGS, "settings", "T0001", org_in="team")
    values = initial_state(opened_view(fake_slack))
    values[INTERVAL_BLOCK][INTERVAL_BLOCK]["selected_option"] = {
        "text": {"type": "plain_text", "text": "Every 30 minutes"},
        "value": "30",
    }
    grid_team = {"id": "T0001", "domain": "w", "enterprise_id": ORG, "enterprise_name": "Org"}
    submitted = view_submission(
        SETTINGS_CALLBACK,
        values,
        user=GRID_USER,
        team=grid_team,
        user_team="T0001",
        view_team="T0001",
        installed_team="T0001",
    )
    assert slack.interaction(submitted).status == 200
    wait_for(lambda: _person(container).interval_minutes == 30)

    # Events name the org in the envelope: profile and DND changes reach the same person.
    user_change = {
        "type": "user_change",
        "user": {
            "id": GRID_USER,
            "team_id": "T0002",
            "tz": "Asia/Kathmandu",
            "profile": {},
            "enterprise_user": {"id": GRID_USER, "enterprise_id": ORG, "teams": ["T0001"]},
        },
        "event_ts": "1.0",
    }
    assert slack.envelope(grid_event(user_change, team="T0002", org_wide=False)).status == 200
    dnd = {
        "type": "dnd_updated_user",
        "user": GRID_USER,
        "dnd_status": {"dnd_enabled": True, "next_dnd_start_ts": 1, "next_dnd_end_ts": 2},
        "event_ts": "1.0",
    }
    assert slack.envelope(grid_event(dnd, team="T0001", org_wide=False)).status == 200
    wait_for(lambda: _person(container).tz == "Asia/Kathmandu")
    wait_for(lambda: _person(container).dnd_end is not None)

    # The Home, opened in the other workspace, shows what /stretch stats shows.
    before = len(fake_slack.calls_to("views.publish"))
    opened = {"type": "app_home_opened", "user": GRID_USER, "tab": "home", "event_ts": "1.0"}
    assert slack.envelope(grid_event(opened, team="T0002", org_wide=False)).status == 200
    wait_for(lambda: len(fake_slack.calls_to("views.publish")) > before)
    home = fake_slack.calls_to("views.publish")[-1].params["view"]
    stats = command(slack, "stats", "T0002")
    assert "Reminders on" in str(home)
    assert numbers_block(home["blocks"])["fields"][-1]["text"] == "*Total*\n2"
    assert numbers_block(home["blocks"]) == numbers_block(stats["blocks"])
    assert people(container) == [(ORG, "T0001", GRID_USER)]


def test_someone_from_another_company_takes_part_in_a_shared_channel_as_themselves(
    slack, container, fake_slack
):
    """Slack Connect: U0001 of T0001 starts a challenge in a channel shared with another
    company; U0009 of that company (T0009 in org E0009) joins, presses Done and saves their
    settings — all kept on their own person, keyed by their own team and org."""
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    fake_slack.add_user("U0009", tz="America/New_York", team_id="T0009")
    fake_slack.add_channel(CHANNEL)
    slack.command("challenge start 3 days at 14:00", channel=CHANNEL)
    wait_for(lambda: channel_posts(fake_slack))
    [announcement] = channel_posts(fake_slack)
    guest = {"user": "U0009", "team": "T0009", "enterprise": {"id": "E0009", "name": "Other"}}
    slack.action(CHALLENGE_JOIN, button_value(announcement, CHALLENGE_JOIN), **guest)
    with container.sessions.begin() as session:
        day = session.scalars(select(ChallengeDay).order_by(ChallengeDay.day_number)).first()
        day.status = "posted"
        day_id = day.id
    slack.action(CHALLENGE_DONE, json.dumps({"day": day_id}), **guest)
    wait_for(lambda: _count(container, ChallengeDone) == 1)

    # Their Settings, submitted from a modal the host's installation opened: `team` and
    # `user.team_id` are theirs, `view.app_installed_team_id` the host's.
    fake_slack.reset()
    slack.action(OPEN_SETTINGS, "settings", **guest)
    values = initial_state(opened_view(fake_slack))
    values[INTERVAL_BLOCK][INTERVAL_BLOCK]["selected_option"] = {
        "text": {"type": "plain_text", "text": "Every 90 minutes"},
        "value": "90",
    }
    submitted = view_submission(
        SETTINGS_CALLBACK,
        values,
        user="U0009",
        team={"id": "T0009", "domain": "other", "enterprise_id": "E0009"},
        user_team="T0009",
        view_team="T0009",
        installed_team="T0001",
    )
    assert slack.interaction(submitted).status == 200
    wait_for(lambda: _person(container, "U0009").interval_minutes == 90)

    assert sorted(people(container)) == [("", "T0001", "U0001"), ("E0009", "T0009", "U0009")]
    with container.sessions() as session:
        members = session.scalar(select(func.count()).select_from(ChallengeMember))
        [(done_by,)] = session.execute(
            select(Person.slack_user_id).join(Completion, Completion.person_id == Person.id)
        ).all()
    assert members == 2 and done_by == "U0009"  # their Done is their own progress
    assert _person(container, "U0001").interval_minutes == 60  # the host's settings untouched
    # Everything said to the guest was said to them alone; the channel shows the leaderboard.
    assert all(
        c.params.get("response_type") != "in_channel" for c in fake_slack.calls_to("response_url")
    )


def _count(container, model) -> int:
    with container.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def _person(container, user: str = GRID_USER) -> Person:
    with container.sessions() as session:
        return session.scalars(select(Person).where(Person.slack_user_id == user)).one()


# What the Settings modal shows below the schedule, as the app opens it for someone new.
MORE_SETTINGS = [*holiday_blocks(NOTHING_CHOSEN), *fit_settings_blocks(frozenset(), ())]


def test_a_guests_modal_is_authorized_by_the_hosts_install_and_saved_as_theirs(
    database_url, fake_slack, clock
):
    """Distribution mode: only the host (T0001) installed the app. A guest's view submission
    names the host's installation in `view.app_installed_team_id` — Bolt authorizes it with the
    host's token — and the guest's own team everywhere else: the settings are theirs."""
    fake_slack.add_user("U0009", tz="America/New_York", team_id="T0009")
    with distribution_app(database_url, fake_slack, clock) as (container, url):
        assert install(url, fake_slack, "T0001")[0] == 200
        sender = SlackSender(url, SIGNING_SECRET, fake_slack.response_url("connect"))
        submitted = view_submission(
            SETTINGS_CALLBACK,
            initial_state(
                settings_modal(container.config.default_preferences(), "UTC", MORE_SETTINGS)
            ),
            user="U0009",
            team={"id": "T0009", "domain": "other"},
            user_team="T0009",
            view_team="T0009",
            installed_team="T0001",
        )
        assert sender.interaction(submitted).status == 200
        wait_for(lambda: fake_slack.calls_to("chat.postMessage"))
        assert fake_slack.last_call("chat.postMessage").token.startswith("xoxb-T0001-")
        assert people(container) == [("", "T0009", "U0009")]
