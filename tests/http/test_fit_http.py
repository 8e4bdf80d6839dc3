"""What suits a person's body, end to end: signed requests to the real app, answers through the
fake Slack. Restrictions in Settings keep ruled-out exercises out of /stretch, Another one and
nudges; a movement break comes with its reason when nothing else fits; /stretch list marks what
fits; More like this and Not for me work on cards and nudges, and only for their owner."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.blocks.fit import HIDDEN_BLOCK, RESTRICTIONS_BLOCK
from bot.blocks.ids import ANOTHER, MORE_LIKE_THIS, NOT_FOR_ME
from bot.blocks.settings import PLACE_BLOCK, SETTINGS_CALLBACK
from bot.db.models import ActivityFeedback
from tests.support.answers import ack_body, button, button_value, initial_state, opened_view
from tests.support.reminder_helpers import (
    nudges,
    opt_in,
    person,
    posted_nudges,
    run_tick_at,
    wait_for,
)
from tests.support.slack_limits import message_problems

SEATED = {"seated-lumbar-stretch", "scapular-retraction"}
SEATED_BREAKS = {"change-position", "posture-check"}


def choose_in_settings(slack, fake_slack, restrictions=(), place=None, user="U0001") -> None:
    """Open Settings, tick ``restrictions`` (and pick ``place``), submit, wait for the save."""
    fake_slack.reset()
    slack.command("settings", user=user)
    view = opened_view(fake_slack)
    values = initial_state(view)
    values[RESTRICTIONS_BLOCK][RESTRICTIONS_BLOCK]["selected_options"] = [
        {"text": {"type": "plain_text", "text": r}, "value": r} for r in restrictions
    ]
    if place:
        values[PLACE_BLOCK][PLACE_BLOCK]["selected_option"] = {
            "text": {"type": "plain_text", "text": place},
            "value": place,
        }
    reply = slack.view_submission(SETTINGS_CALLBACK, values, user=user, blocks=view["blocks"])
    assert reply.status == 200 and reply.body in ("", "{}"), reply.body
    wait_for(lambda: fake_slack.messages(user))


def card_title(message: dict) -> str:
    return next(b["text"]["text"] for b in message["blocks"] if b["type"] == "header")


def title_ids(container) -> dict[str, str]:
    library = container.services.stretches.libraries.seed
    return {a.title: a.id for a in (*library.exercises, *library.tips)}


def responses(fake_slack) -> list[dict]:
    return [call.params for call in fake_slack.calls_to("response_url")]


def feedback(container) -> list[tuple[str, str, bool, bool]]:
    with container.sessions() as session:
        rows = session.execute(
            select(
                ActivityFeedback.person_id,
                ActivityFeedback.activity_id,
                ActivityFeedback.hidden,
                ActivityFeedback.liked,
            )
        ).all()
    return [tuple(row) for row in rows]


def test_settings_show_the_choices_and_a_wrong_one_saves_nothing(slack, fake_slack, container):
    fake_slack.add_user("U0001")
    slack.command("settings")
    view = opened_view(fake_slack)
    labels = json.dumps(view)
    for label in ("Seated only", "No floor exercises at the office", "I use a wheelchair"):
        assert label in labels
    values = initial_state(view)
    values[RESTRICTIONS_BLOCK][RESTRICTIONS_BLOCK]["selected_options"] = [{"value": "hover"}]
    reply = slack.view_submission(SETTINGS_CALLBACK, values, blocks=view["blocks"])
    assert reply.json()["response_action"] == "errors"
    assert set(reply.json()["errors"]) == {RESTRICTIONS_BLOCK}
    assert person(container).fit_restrictions == ""


def test_stretch_and_another_one_never_offer_what_is_ruled_out(slack, fake_slack, container):
    fake_slack.add_user("U0001")
    choose_in_settings(slack, fake_slack, ["wheelchair", "avoid_wrists"], place="home")
    assert person(container).fit_restrictions == "wheelchair,avoid_wrists"
    ids = title_ids(container)
    for _ in range(12):
        card = ack_body(slack.command(""))
        assert ids[card_title(card)] in SEATED  # home exercises are all standing or floor
    fake_slack.reset()
    for _ in range(6):
        slack.action(ANOTHER, button(card, ANOTHER)["value"])
    wait_for(lambda: len(responses(fake_slack)) == 6)
    for reply in responses(fake_slack):
        assert ids[card_title(reply)] in SEATED
        assert message_problems(reply) == []


def test_nudges_never_carry_what_is_ruled_out(slack, fake_slack, container, clock):
    opt_in(slack, fake_slack)
    choose_in_settings(slack, fake_slack, ["seated_only"], place="home")
    for _ in range(16):
        run_tick_at(container, clock, person(container).next_nudge_at)
    sent = [n for n in nudges(container) if n.status == "sent"]
    assert len(sent) >= 10  # ignored ones halve the rest of a day
    assert {n.exercise_id for n in sent if n.exercise_id} <= SEATED
    assert {n.tip_id for n in sent if n.tip_id} <= SEATED_BREAKS
    for message in posted_nudges(fake_slack):
        assert message_problems(message) == []
    assert fake_slack.rejections == []


def test_a_movement_break_and_the_reason_when_nothing_else_fits(
    slack, fake_slack, container, clock
):
    opt_in(slack, fake_slack)
    choose_in_settings(slack, fake_slack, ["wheelchair"])
    ids = title_ids(container)
    for exercise_id in SEATED:  # Not for me on both seated exercises, from a search's card
        card = ack_body(slack.command(exercise_id.replace("-", " ")))
        assert ids[card_title(card)] == exercise_id
        slack.action(NOT_FOR_ME, button(card, NOT_FOR_ME)["value"])
    wait_for(lambda: len(responses(fake_slack)) == 2)
    card = ack_body(slack.command(""))
    assert ids[card_title(card)] in SEATED_BREAKS
    reason = card["blocks"][0]["elements"][0]["text"]
    assert "No exercise fits what you chose in Settings" in reason
    assert "wheelchair" in reason and "2 hidden" in reason
    fake_slack.reset()
    run_tick_at(container, clock, person(container).next_nudge_at)
    [message] = posted_nudges(fake_slack)
    assert ids[card_title(message)] in SEATED_BREAKS
    assert "No exercise fits what you chose in Settings" in json.dumps(message["blocks"])
    assert message_problems(message) == []


def test_list_marks_what_fits(slack, fake_slack, container):
    fake_slack.add_user("U0001")
    choose_in_settings(slack, fake_slack, ["seated_only"])
    body = ack_body(slack.command("list"))
    rows = {
        b["accessory"]["value"]: b["text"]["text"] for b in body["blocks"] if b.get("accessory")
    }
    assert all("Fits you" in rows[i] for i in SEATED)
    assert "it is done standing up and you chose seated only" in rows["standing-hamstring-stretch"]
    assert "it is done on the floor" in rows["prone-body-lift"]


def test_a_search_that_matches_only_ruled_out_says_so(slack, fake_slack, container):
    fake_slack.add_user("U0001")
    choose_in_settings(slack, fake_slack, ["seated_only"])
    body = ack_body(slack.command("hamstring"))
    note = body["blocks"][0]["elements"][0]["text"]
    assert "matches only what does not suit you" in note
    assert "Standing hamstring stretch" in note and "seated only" in note
    assert title_ids(container)[card_title(body)] in SEATED


def test_more_like_this_offers_a_fitting_alike_and_counts_as_liked(slack, fake_slack, container):
    fake_slack.add_user("U0001")
    choose_in_settings(slack, fake_slack, ["avoid_knees"], place="home")
    card = ack_body(slack.command("seated lumbar"))
    assert card_title(card) == "Seated lumbar stretch"
    assert button(card, MORE_LIKE_THIS)["text"]["text"] == "More like this"
    fake_slack.reset()
    slack.action(MORE_LIKE_THIS, button(card, MORE_LIKE_THIS)["value"])
    wait_for(lambda: responses(fake_slack))
    [reply] = responses(fake_slack)
    assert reply["replace_original"] is True
    # Shares lower back with it and spares the knees (the hamstring stretch loads them).
    assert card_title(reply) == "Lying prone body lift"
    assert ":warning:" in json.dumps(reply["blocks"])  # a floor exercise's caution
    assert message_problems(reply) == []
    [(_, activity, hidden, liked)] = feedback(container)
    assert (activity, hidden, liked) == ("seated-lumbar-stretch", False, True)


def test_not_for_me_hides_it_once_and_settings_bring_it_back(slack, fake_slack, container):
    fake_slack.add_user("U0001")
    card = ack_body(slack.command("scapular"))
    assert card_title(card) == "Scapular retraction"
    for _ in range(2):  # a double click hides it once
        slack.action(NOT_FOR_ME, button(card, NOT_FOR_ME)["value"])
    wait_for(lambda: len(responses(fake_slack)) == 2)
    for reply in responses(fake_slack):
        assert "Hidden *Scapular retraction*" in json.dumps(reply["blocks"])
        assert card_title(reply) == "Seated lumbar stretch"
        assert message_problems(reply) == []
    assert [row[1:] for row in feedback(container)] == [("scapular-retraction", True, False)]
    for _ in range(8):
        assert card_title(ack_body(slack.command(""))) == "Seated lumbar stretch"

    fake_slack.reset()
    slack.command("settings")
    view = opened_view(fake_slack)
    values = initial_state(view)
    kept = values[HIDDEN_BLOCK][HIDDEN_BLOCK]["selected_options"]
    assert [option["value"] for option in kept] == ["scapular-retraction"]
    values[HIDDEN_BLOCK][HIDDEN_BLOCK]["selected_options"] = []  # removed: bring it back
    reply = slack.view_submission(SETTINGS_CALLBACK, values, blocks=view["blocks"])
    assert reply.status == 200 and reply.body in ("", "{}")
    wait_for(lambda: fake_slack.messages("U0001"))
    assert [row[1:] for row in feedback(container)] == [("scapular-retraction", False, False)]
    titles = {card_title(ack_body(slack.command(""))) for _ in range(20)}
    assert "Scapular retraction" in titles


def test_another_persons_nudge_buttons_are_refused(slack, fake_slack, container, clock):
    opt_in(slack, fake_slack)
    fake_slack.add_user("U0002")
    run_tick_at(container, clock, person(container).next_nudge_at)
    [message] = posted_nudges(fake_slack)
    for action_id in (MORE_LIKE_THIS, NOT_FOR_ME):
        assert slack.action(action_id, button_value(message, action_id), user="U0002").status == 200
    slack.action(NOT_FOR_ME, "{not json")
    slack.action(
        MORE_LIKE_THIS, json.dumps({"exercise": "no-such", "card": "x", "source": "command"})
    )
    wait_for(lambda: len(responses(fake_slack)) == 4)
    for reply in responses(fake_slack):
        assert reply.get("replace_original") is not True
        assert "try `/stretch` again" in reply["text"]
    assert feedback(container) == []


def test_the_nudge_owner_can_say_not_for_me(slack, fake_slack, container, clock):
    opt_in(slack, fake_slack)
    run_tick_at(container, clock, person(container).next_nudge_at)
    [message] = posted_nudges(fake_slack)
    [nudge] = nudges(container)
    shown = nudge.exercise_id or nudge.tip_id
    slack.action(NOT_FOR_ME, button_value(message, NOT_FOR_ME))
    wait_for(lambda: responses(fake_slack))
    [reply] = responses(fake_slack)
    assert reply["replace_original"] is True
    assert "Snooze" in json.dumps(reply["blocks"])  # still the nudge's card, with its buttons
    assert [row[1:] for row in feedback(container)] == [(shown, True, False)]
