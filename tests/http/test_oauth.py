"""Distribution mode: the OAuth flow against the fake Slack's oauth.v2.access, token rotation,
and two workspaces side by side that never see each other's data."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bot.bootstrap import Container, build
from bot.db.models import Challenge, Person, Workspace
from bot.domain import i18n
from tests.support.answers import ack_body, button
from tests.support.oauth import (
    STATE_COOKIE,
    distribution_app,
    distribution_config,
    get,
    install,
)
from tests.support.reminder_helpers import completions, run_tick_at, wait_for
from tests.support.signed_requests import SIGNING_SECRET, SlackSender
from tests.support.wsgi_server import serving


@pytest.fixture
def distribution(database_url, fake_slack, clock) -> Iterator[tuple[Container, str]]:
    with distribution_app(database_url, fake_slack, clock) as served:
        yield served


def test_install_stores_the_workspace_and_its_token(distribution, fake_slack):
    container, url = distribution
    status, page, _, _ = install(url, fake_slack, "T0001")
    assert status == 200, page
    exchange = fake_slack.last_call("oauth.v2.access").params
    assert exchange["code"] == "code-T0001" and exchange["client_id"] == "111.222"
    with container.engine.connect() as connection:
        tokens = connection.execute(text("SELECT team_id, bot_token FROM slack_bots")).all()
    assert [team for team, _ in tokens] == ["T0001"]
    with container.sessions() as session:
        assert session.scalar(select(Workspace.active).where(Workspace.team_id == "T0001"))


def test_a_used_or_bad_state_is_refused_with_a_readable_page(distribution, fake_slack):
    _, url = distribution
    _, _, state, cookie = install(url, fake_slack, "T0001")
    status, page, _ = get(f"{url}/slack/oauth_redirect?code=again&state={state}", cookie)
    assert status >= 400 and "<html" in page.lower()
    status, page, _ = get(
        f"{url}/slack/oauth_redirect?code=x&state=forged", f"{STATE_COOKIE}=forged"
    )
    assert status >= 400 and "<html" in page.lower() and "Traceback" not in page
    assert len(fake_slack.calls_to("oauth.v2.access")) == 1  # neither reached Slack


def test_the_install_pages_speak_the_browsers_language(distribution, fake_slack):
    _, url = distribution
    with i18n.speaking("de"):
        heading = i18n._("Slack App Installation")
        failed = i18n._("Oops, Something Went Wrong!")
    assert heading != "Slack App Installation"
    german = {"Accept-Language": "de-CH,de;q=0.9,en;q=0.5"}

    status, page, _headers = get(url + "/slack/install", headers=german)
    assert status == 200 and f"<h2>{heading}</h2>" in page
    _status, page, _headers = get(
        f"{url}/slack/oauth_redirect?code=x&state=forged", f"{STATE_COOKIE}=forged", german
    )
    assert f"<h2>{failed}</h2>" in page
    _status, page, _headers = get(url + "/slack/install", headers={"Accept-Language": "zh-CN"})
    assert "<h2>Slack App Installation</h2>" in page


def test_rotated_tokens_are_refreshed_before_scheduled_work(distribution, fake_slack, clock):
    container, url = distribution
    fake_slack.rotating_tokens = True
    install(url, fake_slack, "T0001")
    sender = SlackSender(url, SIGNING_SECRET, fake_slack.response_url("rot"))
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    assert sender.command("on").status == 200
    with container.sessions() as session:
        slot = session.scalar(select(Person.next_nudge_at))
    run_tick_at(container, clock, slot)
    refresh = [
        c
        for c in fake_slack.calls_to("oauth.v2.access")
        if c.params.get("grant_type") == "refresh_token"
    ]
    assert refresh, "the expiring token was not rotated"
    post = fake_slack.last_call("chat.postMessage")
    assert post.token.startswith("xoxe.xoxb-T0001-")


def two_workspaces(container, url, fake_slack) -> dict[str, SlackSender]:
    for team in ("T0001", "T0002"):
        assert install(url, fake_slack, team)[0] == 200
    fake_slack.add_user("U0001", tz="Europe/Berlin")  # the same user id in both workspaces
    return {
        team: SlackSender(url, SIGNING_SECRET, fake_slack.response_url(team))
        for team in ("T0001", "T0002")
    }


def test_two_workspaces_side_by_side(distribution, fake_slack, clock):
    container, url = distribution
    senders = two_workspaces(container, url, fake_slack)
    for team, sender in senders.items():
        assert sender.command("on", team=team).status == 200
    t1 = senders["T0001"]
    t1.action(
        "exercise_done",
        button(ack_body(t1.command("", team="T0001")), "exercise_done")["value"],
        team="T0001",
    )
    wait_for(lambda: completions(container) == 1)
    stats_t2 = ack_body(senders["T0002"].command("stats", team="T0002"))
    assert "No stretches yet" in stats_t2["text"]  # T0001's Done is not T0002's
    stats_t1 = ack_body(t1.command("stats", team="T0001"))
    assert "No stretches yet" not in stats_t1["text"]

    with container.sessions() as session:
        people = session.execute(select(Person.id, Workspace.team_id).join(Workspace)).all()
        latest = max(session.scalars(select(Person.next_nudge_at)))
    assert sorted(team for _, team in people) == ["T0001", "T0002"]
    run_tick_at(container, clock, latest)
    tokens = sorted(c.token.split("-")[1] for c in fake_slack.calls_to("chat.postMessage"))
    assert tokens == ["T0001", "T0002"]  # each workspace nudged with its own token

    # T0001 uninstalls: its tokens go, its work stops; T0002 carries on, untouched.
    assert t1.event({"type": "app_uninstalled", "event_ts": "1.0"}, team="T0001").status == 200
    with container.engine.connect() as connection:
        wait_for(
            lambda: (
                [r[0] for r in connection.execute(text("SELECT team_id FROM slack_bots"))]
                == ["T0002"]
            )
        )
    run_tick_at(container, clock, clock.now() + timedelta(hours=2))
    tokens = [c.token.split("-")[1] for c in fake_slack.calls_to("chat.postMessage")]
    assert tokens.count("T0002") == 2 and tokens.count("T0001") == 1

    # Reinstalling resumes with progress intact.
    assert install(url, fake_slack, "T0001")[0] == 200
    assert "No stretches yet" not in ack_body(t1.command("stats", team="T0001"))["text"]


def test_challenges_stay_in_their_workspace(distribution, fake_slack, clock):
    container, url = distribution
    senders = two_workspaces(container, url, fake_slack)
    fake_slack.add_channel("C0001")
    for team, sender in senders.items():
        sender.command("challenge start 3 days at 14:00", team=team, channel="C0001")
    wait_for(lambda: len(fake_slack.messages("C0001")) == 2)  # one announcement per workspace
    with container.sessions() as session:
        owners = (
            session.execute(
                select(Workspace.team_id).join(Challenge, Challenge.workspace_id == Workspace.id)
            )
            .scalars()
            .all()
        )
    assert sorted(owners) == ["T0001", "T0002"]  # the same channel id, two separate challenges
    senders["T0002"].command("challenge end", team="T0002", channel="C0001")

    def statuses() -> dict[str, str]:
        with container.sessions() as session:
            return dict(
                session.execute(
                    select(Workspace.team_id, Challenge.status).join(
                        Challenge, Challenge.workspace_id == Workspace.id
                    )
                ).all()
            )

    wait_for(lambda: statuses() == {"T0001": "active", "T0002": "ended"})
    assert container.tick()["challenge results"]["posted"] == 1  # the next tick posts them
    assert any("is over" in m["text"] for m in fake_slack.messages("C0001"))


def test_installed_tokens_stay_out_of_the_log_even_at_debug(
    database_url, fake_slack, clock, caplog
):
    container = build(distribution_config(database_url, fake_slack, log_level="DEBUG"), clock=clock)
    caplog.set_level(logging.DEBUG)
    try:
        with serving(container.wsgi_app) as url:
            status, page, _, _ = install(url, fake_slack, "T0001")
        assert status == 200, page
        with container.engine.connect() as connection:
            [token] = connection.execute(text("SELECT bot_token FROM slack_bots")).scalars()
    finally:
        container.close()
    assert token and token not in caplog.text
