"""What a person typed, shown back to them, is escaped: `<!channel>` must not become a ping nor
`<https://…|text>` a disguised link (Slack reads `<`, `>` and `&` as markup)."""

from __future__ import annotations

import json

import pytest

TYPED = "<!channel> & <https://evil.example|your bank>"
ESCAPED = "&lt;!channel&gt; &amp; &lt;https://evil.example|your bank&gt;"


@pytest.mark.parametrize(
    "text",
    [
        f"zzz {TYPED}",  # no exercise matches
    ],
)
def test_typed_text_comes_back_escaped(slack, text):
    reply = slack.command(text)
    assert reply.status == 200
    shown = json.dumps(reply.json(), ensure_ascii=False)
    assert "<!channel>" not in shown and "<https://evil" not in shown
    assert "&lt;!channel&gt;" in shown, shown
