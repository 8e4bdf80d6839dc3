"""Undo, through signed requests and the fake Slack: after Done on a `/stretch` card (ephemeral,
answered through `response_url`) and after Done or Skip on a DM nudge, for one minute on the
frozen clock; too late after it; once however often it is clicked; only by the person who
answered."""

from __future__ import annotations

from bot.blocks.ids import DONE, SKIP, SNOOZE, UNDO_DONE, UNDO_SKIP
from bot.blocks.undo import nothing_to_undo, too_late
from tests.support.answers import ack_body, button, button_value
from tests.support.reminder_helpers import (
    completions,
    nudges,
    opt_in,
    person,
    posted_nudges,
    run_tick_at,
    wait_for,
)
from tests.support.slack_limits import message_problems

DM = {"type": "message", "message_ts": "1700000000.000100", "channel_id": "D0001"}


def answers(fake_slack) -> list[dict]:
    return [call.params for call in fake_slack.calls_to("response_url")]


def click(slack, fake_slack, action_id: str, value: str, **extra) -> dict:
    """Click a button and return what the app answered through the click's response_url."""
    before = len(answers(fake_slack))
    assert slack.action(action_id, value, **extra).status == 200
    wait_for(lambda: len(answers(fake_slack)) > before)
    answer = answers(fake_slack)[-1]
    assert message_problems(answer) == []
    return answer


def action_ids(message: dict) -> list[str]:
    return [
        e["action_id"] for b in message["blocks"] for e in b.get("elements", []) if "action_id" in e
    ]


def done_on_a_card(slack, fake_slack, clock) -> tuple[dict, dict]:
    fake_slack.add_user("U0001")
    clock.advance(microseconds=123_457)  # the Undo names the Done to the microsecond
    card = ack_body(slack.command("hamstring"))
    return card, click(slack, fake_slack, DONE, button(card, DONE)["value"])


def test_undo_within_a_minute_restores_the_card_and_removes_the_done(
    slack, container, fake_slack, clock
):
    card, done = done_on_a_card(slack, fake_slack, clock)
    assert done["replace_original"] is True and "done" in done["text"]
    assert action_ids(done) == [UNDO_DONE]
    assert completions(container) == 1

    clock.advance(seconds=60)
    restored = click(slack, fake_slack, UNDO_DONE, button(done, UNDO_DONE)["value"])
    assert restored["replace_original"] is True
    assert restored["blocks"] == card["blocks"]  # the same card, the same buttons
    assert completions(container) == 0

    again = click(slack, fake_slack, DONE, button(restored, DONE)["value"])  # Done works again
    assert "1 exercise today" in again["text"]
    assert completions(container) == 1


def test_undo_after_a_minute_is_too_late_and_changes_nothing(slack, container, fake_slack, clock):
    _, done = done_on_a_card(slack, fake_slack, clock)
    clock.advance(seconds=61)
    late = click(slack, fake_slack, UNDO_DONE, button(done, UNDO_DONE)["value"])
    assert late["replace_original"] is False and late["text"] == too_late()
    assert completions(container) == 1


def test_a_double_click_on_undo_undoes_once(slack, container, fake_slack, clock):
    _, done = done_on_a_card(slack, fake_slack, clock)
    undo = button(done, UNDO_DONE)["value"]
    click(slack, fake_slack, UNDO_DONE, undo)
    second = click(slack, fake_slack, UNDO_DONE, undo)
    assert second["replace_original"] is False and second["text"] == nothing_to_undo()
    assert completions(container) == 0

    clock.advance(seconds=5)  # Done again: a replayed Undo of the first Done leaves it
    card = ack_body(slack.command("hamstring"))
    click(slack, fake_slack, DONE, button(card, DONE)["value"])
    assert click(slack, fake_slack, UNDO_DONE, undo)["text"] == nothing_to_undo()
    assert completions(container) == 1


def test_nobody_else_can_undo_a_done(slack, container, fake_slack, clock):
    _, done = done_on_a_card(slack, fake_slack, clock)
    fake_slack.add_user("U0002")
    other = click(slack, fake_slack, UNDO_DONE, button(done, UNDO_DONE)["value"], user="U0002")
    assert other["text"] == nothing_to_undo()
    forged = '{"card":"nudge-1","source":"challenge","at":0}'
    assert click(slack, fake_slack, UNDO_DONE, forged)["text"] == nothing_to_undo()
    assert click(slack, fake_slack, UNDO_DONE, "not json")["text"] == nothing_to_undo()
    assert completions(container) == 1


def a_sent_nudge(slack, container, fake_slack, clock) -> dict:
    opt_in(slack, fake_slack)
    run_tick_at(container, clock, person(container).next_nudge_at)
    [message] = posted_nudges(fake_slack)
    return message


def test_undo_a_skip_on_a_dm_nudge_brings_the_nudge_back(slack, container, fake_slack, clock):
    message = a_sent_nudge(slack, container, fake_slack, clock)
    skipped = click(slack, fake_slack, SKIP, button_value(message, SKIP), container=DM)
    assert skipped["text"].startswith(":fast_forward: Skipped") and UNDO_SKIP in action_ids(skipped)
    assert nudges(container)[0].outcome == "skipped"

    clock.advance(seconds=30)
    restored = click(
        slack, fake_slack, UNDO_SKIP, button(skipped, UNDO_SKIP)["value"], container=DM
    )
    assert restored["replace_original"] is True
    assert restored["blocks"] == message["blocks"]
    [nudge] = nudges(container)
    assert nudge.outcome is None and nudge.outcome_at is None  # neither skipped nor ignored

    snoozed = click(slack, fake_slack, SNOOZE, button(restored, SNOOZE)["value"], container=DM)
    assert snoozed["text"].startswith(":zzz:")  # its buttons work again


def test_undo_a_skip_too_late_or_by_someone_else_changes_nothing(
    slack, container, fake_slack, clock
):
    message = a_sent_nudge(slack, container, fake_slack, clock)
    skipped = click(slack, fake_slack, SKIP, button_value(message, SKIP), container=DM)
    undo = button(skipped, UNDO_SKIP)["value"]
    fake_slack.add_user("U0002")
    assert click(slack, fake_slack, UNDO_SKIP, undo, user="U0002")["text"] == nothing_to_undo()
    clock.advance(seconds=61)
    assert click(slack, fake_slack, UNDO_SKIP, undo)["text"] == too_late()
    assert nudges(container)[0].outcome == "skipped"


def test_undo_a_mistaken_done_on_a_nudge(slack, container, fake_slack, clock):
    message = a_sent_nudge(slack, container, fake_slack, clock)
    done = click(slack, fake_slack, DONE, button_value(message, DONE), container=DM)
    for _ in range(2):  # a double click: undone once
        last = click(slack, fake_slack, UNDO_DONE, button(done, UNDO_DONE)["value"], container=DM)
    restored = answers(fake_slack)[-2]
    assert restored["blocks"] == message["blocks"]
    assert last["text"] == nothing_to_undo()
    assert nudges(container)[0].outcome is None
    assert completions(container) == 0
