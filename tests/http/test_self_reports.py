"""Breaks taken without the bot, through signed requests: `/stretch did <what>` and a nudge's
"I moved anyway" count like a Done — once, however often retried or clicked — and show as
self-reported in `/stretch stats` and the App Home."""

from __future__ import annotations

import urllib.parse

from sqlalchemy import select

from bot.blocks.ids import MOVED_ANYWAY, UNDO_DONE
from bot.db.models import Completion
from bot.domain.self_reports import MAX_WHAT_LENGTH
from tests.support.answers import ack_body, button, button_value
from tests.support.reminder_helpers import (
    nudges,
    opt_in,
    person,
    posted_nudges,
    run_tick_at,
    wait_for,
)
from tests.support.slack_limits import message_problems
from tests.support.slack_payloads import slash_command

DM = {"type": "message", "message_ts": "1700000000.000100", "channel_id": "D0001"}


def recorded(container) -> list[tuple[str, str | None]]:
    with container.sessions() as session:
        return [
            (c.source, c.what) for c in session.scalars(select(Completion).order_by(Completion.id))
        ]


def did(slack, text: str, trigger: str = "1.2.a", retry: int | None = None) -> dict:
    """`/stretch did <text>`; `retry` sends it as Slack's retry number `retry` of the same
    command (the same trigger id)."""
    form = slash_command(f"did {text}", "http://unused", trigger_id=trigger)
    headers = (
        {}
        if retry is None
        else {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    )
    reply = slack.post(
        urllib.parse.urlencode(form), "application/x-www-form-urlencoded", headers=headers
    )
    return ack_body(reply)


def test_stretch_did_records_a_self_reported_break_once_however_often_retried(
    slack, container, fake_slack
):
    fake_slack.add_user("U0001")
    answer = did(slack, "a walk")
    assert "Counted: a walk" in answer["text"] and "self-reported" in answer["text"]
    assert "1 break today" in answer["text"]
    retried = did(slack, "a walk", retry=1)
    assert "1 break today" in retried["text"]
    assert recorded(container) == [("self", "a walk")]

    assert "2 breaks today" in did(slack, "the stairs", trigger="1.2.b")["text"]
    assert recorded(container) == [("self", "a walk"), ("self", "the stairs")]

    stats = ack_body(slack.command("stats"))
    assert "Today 2" in stats["text"]
    assert "*Self-reported:* 2 breaks" in str(stats["blocks"])


def test_stretch_did_with_nothing_or_too_much_says_how_and_saves_nothing(
    slack, container, fake_slack
):
    fake_slack.add_user("U0001")
    empty = ack_body(slack.command("did"))
    assert "Tell me what you did" in empty["text"] and "/stretch did a walk" in empty["text"]
    long = did(slack, "x" * (MAX_WHAT_LENGTH + 1))
    assert f"at most {MAX_WHAT_LENGTH} characters" in long["text"]
    assert recorded(container) == []


def test_what_a_person_typed_is_escaped(slack, container, fake_slack):
    fake_slack.add_user("U0001")
    answer = did(slack, "a walk <!channel> & <@U0002>")
    assert "&lt;!channel&gt; &amp; &lt;@U0002&gt;" in answer["text"]
    assert "<!channel>" not in str(answer["blocks"])
    assert recorded(container) == [("self", "a walk <!channel> & <@U0002>")]


def a_sent_nudge(slack, container, fake_slack, clock) -> dict:
    opt_in(slack, fake_slack)
    run_tick_at(container, clock, person(container).next_nudge_at)
    [message] = posted_nudges(fake_slack)
    return message


def responses(fake_slack) -> list[dict]:
    return [call.params for call in fake_slack.calls_to("response_url")]


def test_i_moved_anyway_on_a_nudge_counts_once_and_can_be_undone(
    slack, container, fake_slack, clock
):
    message = a_sent_nudge(slack, container, fake_slack, clock)
    value = button_value(message, MOVED_ANYWAY)
    for _ in range(2):
        assert slack.action(MOVED_ANYWAY, value, container=DM).status == 200
    wait_for(lambda: len(responses(fake_slack)) == 2)
    assert recorded(container) == [("self", "a break of my own")]
    assert nudges(container)[0].outcome == "done"  # counts in the done rate like a Done
    answer = responses(fake_slack)[-1]
    assert answer["replace_original"] is True and "self-reported" in answer["text"]
    assert message_problems(answer) == []
    wait_for(lambda: fake_slack.home("U0001") is not None)
    wait_for(lambda: "Self-reported" in str(fake_slack.home("U0001")))

    slack.action(UNDO_DONE, button(answer, UNDO_DONE)["value"], container=DM)
    wait_for(lambda: len(responses(fake_slack)) == 3)
    assert responses(fake_slack)[-1]["blocks"] == message["blocks"]
    assert recorded(container) == [] and nudges(container)[0].outcome is None


def test_nobody_else_can_say_they_moved_for_someone_s_nudge(slack, container, fake_slack, clock):
    message = a_sent_nudge(slack, container, fake_slack, clock)
    fake_slack.add_user("U0002")
    slack.action(MOVED_ANYWAY, button_value(message, MOVED_ANYWAY), user="U0002")
    slack.action(MOVED_ANYWAY, '{"nudge": 999}')
    wait_for(lambda: len(responses(fake_slack)) == 2)
    assert all(r["replace_original"] is False for r in responses(fake_slack))
    assert recorded(container) == [] and nudges(container)[0].outcome is None
