"""An org-wide install in distribution mode: installed once for an Enterprise Grid org, the app
serves every workspace of it with the org's token — commands, clicks (`team: null`), modals,
events whose `authorizations` name only the org, and scheduled nudges — while challenges stay in
the workspace they were started in; the org-wide `app_uninstalled` (no `team_id`) deletes the
org's tokens and stops every workspace of the org."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bot.blocks.ids import DONE
from bot.blocks.settings import INTERVAL_BLOCK, SETTINGS_CALLBACK
from bot.bootstrap import Container
from bot.db.models import Challenge, Person, Workspace
from tests.support.answers import ack_body, button, initial_state, opened_view
from tests.support.grid_payloads import (
    ORG,
    grid_block_action,
    grid_command,
    grid_event,
    view_submission,
)
from tests.support.oauth import distribution_app, install
from tests.support.reminder_helpers import completions, run_tick_at, wait_for
from tests.support.signed_requests import SIGNING_SECRET, SlackSender

# Two people of the org, each in a workspace of their own.
HOME_TEAM = {"W0001": "T0001", "W0002": "T0002"}


@pytest.fixture
def org_app(database_url, fake_slack, clock) -> Iterator[tuple[Container, SlackSender]]:
    fake_slack.add_org(ORG, *HOME_TEAM.values())
    for user, team in HOME_TEAM.items():
        fake_slack.add_user(user, tz="Europe/Berlin", team_id=team)
    with distribution_app(database_url, fake_slack, clock) as (container, url):
        status, page, _, _ = install(url, fake_slack, ORG)
        assert status == 200, page
        yield container, SlackSender(url, SIGNING_SECRET, fake_slack.response_url("org"))


def command(slack: SlackSender, user: str, words: str, channel: str = "C0001") -> dict:
    return ack_body(send_command(slack, user, words, channel))


def send_command(slack: SlackSender, user: str, words: str, channel: str = "C0001"):
    """`/stretch <words>` from `user`'s workspace, through the org-wide install."""
    form = grid_command(
        words, slack.response_url, user=user, team=HOME_TEAM[user], org_wide=True, channel=channel
    )
    return slack.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")


def bot_rows(container: Container) -> list[tuple]:
    with container.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(text("SELECT enterprise_id, team_id FROM slack_bots"))
        ]


def workspaces(container: Container) -> dict[str, bool]:
    with container.sessions() as session:
        return dict(session.execute(select(Workspace.team_id, Workspace.active)).all())


def test_one_org_wide_install_serves_every_workspace_of_the_org(org_app, fake_slack, clock):
    container, slack = org_app
    assert bot_rows(container) == [(ORG, None)]  # slack-sdk stores it with a NULL team

    for user in HOME_TEAM:
        command(slack, user, "on")
    card = command(slack, "W0001", "")
    click = grid_block_action(
        DONE,
        button(card, DONE)["value"],
        slack.response_url,
        user="W0001",
        team="T0001",
        org_in="org-wide",
    )
    assert slack.interaction(click).status == 200
    wait_for(lambda: completions(container) == 1)

    # W0002 saves Settings in a modal of the org-wide install (`team: null`).
    assert send_command(slack, "W0002", "settings").status == 200
    values = initial_state(opened_view(fake_slack))
    values[INTERVAL_BLOCK][INTERVAL_BLOCK]["selected_option"] = {
        "text": {"type": "plain_text", "text": "Every 90 minutes"},
        "value": "90",
    }
    submitted = view_submission(
        SETTINGS_CALLBACK,
        values,
        user="W0002",
        team=None,
        user_team="T0002",
        view_team="T0002",
        installed_team=None,
        enterprise={"id": ORG, "name": "Sandbox Org"},
        is_enterprise_install=True,
    )
    assert slack.interaction(submitted).status == 200
    wait_for(lambda: interval_of(container, "W0002") == 90)

    # app_home_opened as bolt-python's org-app fixture has it: the org, and no team, authorized.
    before = len(fake_slack.calls_to("views.publish"))
    opened = {"type": "app_home_opened", "user": "W0001", "tab": "home", "event_ts": "1.0"}
    assert slack.envelope(grid_event(opened, team="T0001", org_wide=True)).status == 200
    wait_for(lambda: len(fake_slack.calls_to("views.publish")) > before)
    home = fake_slack.calls_to("views.publish")[-1]
    assert "Reminders on" in str(home.params["view"]) and home.token.startswith(f"xoxb-{ORG}-")

    # Scheduled nudges reach both workspaces with the org's token.
    with container.sessions() as session:
        latest = max(session.scalars(select(Person.next_nudge_at)))
    before = len(fake_slack.calls_to("chat.postMessage"))
    run_tick_at(container, clock, latest)
    posts = fake_slack.calls_to("chat.postMessage")[before:]
    assert sorted(c.params["channel"] for c in posts) == ["W0001", "W0002"]
    assert all(c.token.startswith(f"xoxb-{ORG}-") for c in posts)

    # A challenge stays in the workspace it was started in.
    fake_slack.add_channel("C0002")
    send_command(slack, "W0002", "challenge start 3 days at 14:00", channel="C0002")
    wait_for(lambda: fake_slack.messages("C0002"))
    with container.sessions() as session:
        owner = session.scalar(
            select(Workspace.team_id).join(Challenge, Challenge.workspace_id == Workspace.id)
        )
    assert owner == "T0002"

    # The org-wide uninstall names the org and no team: every workspace of it stops.
    uninstall = grid_event({"type": "app_uninstalled", "event_ts": "2.0"}, team=None, org_wide=True)
    assert slack.envelope(uninstall).status == 200
    wait_for(lambda: bot_rows(container) == [])
    wait_for(lambda: workspaces(container) == {"T0001": False, "T0002": False})
    before = len(fake_slack.calls_to("chat.postMessage"))
    run_tick_at(container, clock, latest + timedelta(hours=2))
    assert len(fake_slack.calls_to("chat.postMessage")) == before

    # Installing again resumes every workspace of the org.
    install(container_url(slack), fake_slack, ORG)
    assert workspaces(container) == {"T0001": True, "T0002": True}


def interval_of(container: Container, user: str) -> int:
    with container.sessions() as session:
        return session.scalar(select(Person.interval_minutes).where(Person.slack_user_id == user))


def container_url(slack: SlackSender) -> str:
    return slack.events_url.removesuffix("/slack/events")


def test_an_org_wide_uninstall_leaves_a_workspace_installed_on_its_own(org_app, fake_slack):
    container, slack = org_app
    assert install(container_url(slack), fake_slack, "T0002")[0] == 200  # T0002's own install
    for user in HOME_TEAM:
        command(slack, user, "on")
    uninstall = grid_event({"type": "app_uninstalled", "event_ts": "2.0"}, team=None, org_wide=True)
    assert slack.envelope(uninstall).status == 200
    wait_for(lambda: bot_rows(container) == [(ORG, "T0002")])
    wait_for(lambda: workspaces(container) == {"T0001": False, "T0002": True})
