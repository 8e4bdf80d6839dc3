"""What `/stretch did <what>` accepts (`bot.domain.self_reports`)."""

from __future__ import annotations

import pytest

from bot.domain.cards import is_card_id
from bot.domain.commands import parse
from bot.domain.self_reports import MAX_WHAT_LENGTH, SelfReportError, read_what, report_key


def test_the_command_parses_with_its_words():
    assert parse("did a walk").name == "did"
    assert parse("DID  the   stairs").argument == "the stairs"
    assert parse("did").name == "did" and parse("did").argument == ""


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("a walk", "a walk"), ("  the   stairs ", "the stairs"), ("x" * 100, "x" * 100)],
)
def test_what_is_tidied(typed, kept):
    assert read_what(typed) == kept


@pytest.mark.parametrize("typed", ["", "   ", "x" * (MAX_WHAT_LENGTH + 1)])
def test_nothing_or_too_much_is_refused_with_an_example(typed):
    with pytest.raises(SelfReportError, match="/stretch did a walk"):
        read_what(typed)


def test_one_command_is_one_card_whatever_its_trigger_id_holds():
    key = report_key("13345224609.738474920.8088930838d88f008e0")
    assert key == report_key("13345224609.738474920.8088930838d88f008e0")
    assert key != report_key("13345224609.738474920.other")
    assert is_card_id(key) and is_card_id(report_key("<weird> ünïcode " * 20))
