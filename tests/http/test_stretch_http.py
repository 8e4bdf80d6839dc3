"""`/stretch` and its buttons, end to end: signed HTTP requests to the real WSGI app, answers
checked against Slack's Block Kit limits, replies through the fake Slack."""

import json
import shutil
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.blocks.home import home_view
from bot.blocks.ids import ANOTHER, DONE, START
from bot.blocks.library import library_message, no_match_message
from bot.domain.content import DEFAULT_CONTENT_DIR, load_library
from bot.domain.progress import progress_view
from tests.support.answers import ack_body, button
from tests.support.reminder_helpers import completions, opt_in, people_lookups, wait_for
from tests.support.slack_limits import message_problems, view_problems


def test_stretch_answers_with_an_office_exercise(slack, container):
    body = ack_body(slack.command(""))
    header = body["blocks"][0]
    assert header["type"] == "header"
    exercise = next(
        e
        for e in container.services.stretches.libraries.seed.exercises
        if e.title == header["text"]["text"]
    )
    assert exercise.place == "office"
    steps = next(b for b in body["blocks"] if "How to do it" in b.get("text", {}).get("text", ""))
    assert "1. " in steps["text"]["text"]
    assert button(body, DONE)["text"]["text"] == "Done"
    assert button(body, ANOTHER)["text"]["text"] == "Another one"


@pytest.mark.parametrize("reminders_on", [False, True])
def test_stretch_looks_the_person_up_once(slack, fake_slack, container, reminders_on):
    if reminders_on:
        opt_in(slack, fake_slack)
    with people_lookups(container) as lookups:
        body = ack_body(slack.command(""))
    assert len(lookups) == 1
    offered = any(block.get("block_id") == "reminder_offer" for block in body["blocks"])
    assert offered is not reminders_on


def test_search_finds_the_hamstring_stretch(slack):
    body = ack_body(slack.command("hamstring"))
    assert body["blocks"][0]["text"]["text"] == "Standing hamstring stretch"


@pytest.mark.parametrize(
    "words", ["isquiotibiales", "ハムストリング", "Oberschenkel", "ISCHIO-JAMBIERS"]
)
def test_search_finds_words_of_every_language(slack, words):
    """The words of any translation find the exercise, for everyone; the card is in the
    person's language (English here: no locale from Slack, none chosen)."""
    body = ack_body(slack.command(words))
    assert body["blocks"][0]["text"]["text"] == "Standing hamstring stretch"


@pytest.mark.parametrize("words", ["lower back", "shoulders"])
def test_search_by_body_area(slack, words, container):
    body = ack_body(slack.command(words))
    title = body["blocks"][0]["text"]["text"]
    assert title in {e.title for e in container.services.stretches.libraries.seed.search(words)[:1]}


def test_list_groups_office_and_home_with_start_buttons(slack, container):
    body = ack_body(slack.command("list"))
    texts = [b.get("text", {}).get("text", "") for b in body["blocks"]]
    assert any("At the desk" in t for t in texts)
    assert any("At home" in t for t in texts)
    starts = [
        b["accessory"]["value"]
        for b in body["blocks"]
        if b.get("accessory", {}).get("action_id") == START
    ]
    assert sorted(starts) == sorted(
        e.id for e in container.services.stretches.libraries.seed.exercises
    )


def test_help_lists_usage(slack):
    body = ack_body(slack.command("help"))
    assert "/stretch list" in body["text"]
    assert "not medical advice" in json.dumps(body["blocks"])


def test_no_match_lists_what_exists(slack):
    body = ack_body(slack.command("blorp"))
    assert "No exercise matches “blorp”" in body["text"]
    assert "Seated lumbar stretch" in body["text"]


@pytest.mark.parametrize("text", ["list everything", "!!!", "x" * 300])
def test_unparseable_text_gets_a_friendly_error(slack, text):
    body = ack_body(slack.command(text))
    assert "/stretch help" in body["text"]


def test_done_twice_records_one_completion(slack, container, fake_slack):
    fake_slack.add_user("U0001", tz="America/New_York")
    card = ack_body(slack.command("hamstring"))
    done = button(card, DONE)["value"]
    assert slack.action(DONE, done).status == 200
    assert slack.action(DONE, done).status == 200
    wait_for(lambda: len(fake_slack.calls_to("response_url")) == 2)
    assert completions(container) == 1
    replies = [call.params for call in fake_slack.calls_to("response_url")]
    for reply in replies:
        assert reply["replace_original"] is True
        assert "1 exercise today" in reply["text"]
        assert message_problems(reply) == []
    assert fake_slack.rejections == []


def test_done_on_two_cards_counts_two(slack, container, fake_slack):
    fake_slack.add_user("U0001")
    for _ in range(2):
        slack.action(DONE, button(ack_body(slack.command("")), DONE)["value"])
    wait_for(lambda: len(fake_slack.calls_to("response_url")) == 2)
    assert completions(container) == 2
    assert "2 exercises today" in fake_slack.calls_to("response_url")[-1].params["text"]


def test_another_one_swaps_in_a_different_exercise(slack, fake_slack):
    card = ack_body(slack.command(""))
    first = card["blocks"][0]["text"]["text"]
    slack.action(ANOTHER, button(card, ANOTHER)["value"])
    wait_for(lambda: fake_slack.calls_to("response_url"))
    swapped = fake_slack.calls_to("response_url")[0].params
    assert swapped["replace_original"] is True
    assert swapped["blocks"][0]["text"]["text"] != first
    assert message_problems(swapped) == []


def test_start_from_the_library_posts_the_card(slack, fake_slack):
    slack.action(START, "prone-body-lift")
    wait_for(lambda: fake_slack.calls_to("response_url"))
    card = fake_slack.calls_to("response_url")[0].params
    assert card["blocks"][0]["text"]["text"] == "Lying prone body lift"


def test_tampered_button_value_gets_a_clear_answer(slack, fake_slack, container):
    assert slack.action(DONE, "{not json").status == 200
    wait_for(lambda: fake_slack.calls_to("response_url"))
    assert "try `/stretch` again" in fake_slack.calls_to("response_url")[0].params["text"]
    assert completions(container) == 0


def test_forged_signature_is_401(slack):
    reply = slack.post(
        "command=/stretch&text=", "application/x-www-form-urlencoded", signature="v0=" + "0" * 64
    )
    assert reply.status == 401


def test_stale_timestamp_is_401(slack):
    reply = slack.post(
        "command=/stretch&text=",
        "application/x-www-form-urlencoded",
        timestamp=int(time.time()) - 10 * 60,
    )
    assert reply.status == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        ('{"type": ', "application/json"),
        ("payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
    ],
)
def test_malformed_signed_body_is_a_4xx(slack, body, content_type):
    reply = slack.post(body, content_type)
    assert 400 <= reply.status < 500


def test_healthz(slack):
    import urllib.request

    with urllib.request.urlopen(slack.events_url.replace("/slack/events", "/healthz")) as reply:
        assert reply.status == 200
        assert json.loads(reply.read()) == {"ok": True}


def test_app_home_is_published(slack, fake_slack):
    assert (
        slack.event(
            {
                "type": "app_home_opened",
                "user": "U0001",
                "tab": "home",
                "channel": "D0001",
                "event_ts": "1.0",
            }
        ).status
        == 200
    )
    wait_for(lambda: fake_slack.calls_to("views.publish"))
    assert fake_slack.rejections == []


def test_user_change_refreshes_the_time_zone(slack, fake_slack, container):
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    slack.action(DONE, button(ack_body(slack.command("")), DONE)["value"])
    wait_for(lambda: fake_slack.calls_to("response_url"))
    slack.event(
        {
            "type": "user_change",
            "event_ts": "1.0",
            "user": {"id": "U0001", "team_id": "T0001", "tz": "Asia/Kathmandu"},
        }
    )
    from bot.db.models import Person

    def moved() -> bool:
        with container.sessions() as session:
            return session.scalar(select(Person.tz)) == "Asia/Kathmandu"

    wait_for(moved)


def test_a_big_library_stays_within_message_limits(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    original = (content / "exercises" / "scapular-retraction.yaml").read_text()
    for n in range(120):
        copy = original.replace('id: "scapular-retraction"', f'id: "scapular-retraction-{n}"')
        (content / "exercises" / f"scapular-retraction-{n}.yaml").write_text(copy)
    library = load_library(content)
    assert len(library.exercises) == 126
    assert message_problems(library_message(library).as_kwargs()) == []
    assert message_problems(no_match_message("blorp", library).as_kwargs()) == []
    now = datetime(2026, 11, 24, tzinfo=UTC)
    empty = progress_view([], [], [], tz="UTC", work_days=frozenset(range(5)), now=now, titles={})
    assert view_problems(home_view(library, None, empty, [], now)) == []
