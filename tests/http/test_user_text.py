"""What a person typed, shown back to them, is escaped: `<!channel>` must not become a ping nor
`<https://…|text>` a disguised link (Slack reads `<`, `>` and `&` as markup)."""

from __future__ import annotations

import json

import pytest

from tests.support.reminder_helpers import wait_for

TYPED = "<!channel> & <https://evil.example|your bank>"


def assert_escaped(shown: str) -> None:
    assert "<!channel>" not in shown and "<https://evil" not in shown
    assert "&lt;!channel&gt;" in shown, shown


@pytest.mark.parametrize(
    "text",
    [
        f"zzz {TYPED}",  # no exercise matches
        f"pause {TYPED}",  # a pause it cannot read
    ],
)
def test_typed_text_in_the_ack_comes_back_escaped(slack, text):
    reply = slack.command(text)
    assert reply.status == 200
    assert_escaped(json.dumps(reply.json(), ensure_ascii=False))


def test_typed_text_in_a_later_answer_comes_back_escaped(slack, fake_slack):
    slack.command(f"challenge start {TYPED}", channel="C0CHALLENGE")  # answered after the ack
    wait_for(lambda: fake_slack.calls_to("response_url"))
    [answer] = fake_slack.calls_to("response_url")
    assert_escaped(json.dumps(answer.params, ensure_ascii=False))
