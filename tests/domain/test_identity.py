"""`person_of` reads the same person out of every shape Slack sends: commands, clicks with the
org in `enterprise`, only in `team.enterprise_id`, or org-wide with `team: null`, modals in a
Slack Connect channel, and events with `authorizations` (shapes from bolt-python's tests)."""

from __future__ import annotations

import pytest

from bot.domain.people import SlackUser
from bot.listeners.identity import channel_of, person_of
from tests.support.grid_payloads import (
    ORG,
    grid_block_action,
    grid_command,
    grid_event,
    view_submission,
)

GRID_PERSON = SlackUser("T0001", "W0001", ORG)
URL = "https://hooks.slack.invalid/x"


@pytest.mark.parametrize("org_in", ["enterprise", "team", "org-wide"])
def test_a_grid_click_names_the_org_wherever_slack_put_it(org_in):
    click = grid_block_action("a", "v", URL, user="W0001", team="T0001", org_in=org_in)
    assert person_of(click) == GRID_PERSON


@pytest.mark.parametrize("org_wide", [False, True])
def test_a_grid_command(org_wide):
    command = grid_command("stats", URL, user="W0001", team="T0001", org_wide=org_wide)
    assert person_of(command) == GRID_PERSON


@pytest.mark.parametrize("org_wide", [False, True])
def test_grid_events_name_the_org_in_the_envelope_or_the_authorizations(org_wide):
    opened = {"type": "app_home_opened", "user": "W0001", "tab": "home"}
    assert person_of(grid_event(opened, team="T0001", org_wide=org_wide)) == GRID_PERSON
    only_authorized = grid_event(opened, team="T0001", org_wide=org_wide)
    del only_authorized["enterprise_id"]
    assert person_of(only_authorized) == GRID_PERSON


def test_a_user_change_names_the_person_in_the_user_it_carries():
    user = {"id": "W0001", "team_id": "T0001", "enterprise_user": {"enterprise_id": ORG}}
    event = {"type": "user_change", "user": user}
    envelope = grid_event(event, team="T0002", org_wide=True)
    del envelope["enterprise_id"]
    envelope["authorizations"][0]["enterprise_id"] = None
    assert person_of(envelope) == GRID_PERSON


def test_an_org_wide_uninstall_names_only_the_org():
    uninstall = grid_event({"type": "app_uninstalled"}, team=None, org_wide=True)
    assert person_of(uninstall) == SlackUser("", "", ORG)


def test_a_slack_connect_modal_is_the_guests_not_the_hosts():
    submitted = view_submission(
        "settings",
        {},
        user="U0009",
        team={"id": "T0009", "domain": "other"},
        user_team="T0009",
        view_team="T0009",
        installed_team="T0001",
    )
    assert person_of(submitted) == SlackUser("T0009", "U0009")


def test_a_slack_connect_event_names_the_actor_not_the_installation():
    """bolt-python's `slack_connect_events_api_requests`: the envelope is the actor's, the
    authorizations the installation's."""
    envelope = {
        "team_id": "T_ACTOR",
        "enterprise_id": "E_ACTOR",
        "context_team_id": "T_INSTALLED",
        "context_enterprise_id": "E_INSTALLED",
        "event": {"type": "dnd_updated_user", "user": "U_ACTOR"},
        "type": "event_callback",
        "authorizations": [
            {"enterprise_id": "E_INSTALLED", "team_id": "T_INSTALLED", "is_bot": True}
        ],
        "is_ext_shared_channel": True,
    }
    assert person_of(envelope) == SlackUser("T_ACTOR", "U_ACTOR", "E_ACTOR")


def test_malformed_fields_read_as_empty():
    assert person_of({"type": "block_actions", "user": "W1", "team": 3}) == SlackUser("", "", "")
    assert channel_of({"container": [], "channel": {"id": "C1"}}) == "C1"
