"""What `/stretch did <what>` accepts (`bot.domain.self_reports`), and how self-reported breaks
count in progress."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.cards import is_card_id
from bot.domain.commands import parse
from bot.domain.progress import DoneEvent, progress_view
from bot.domain.self_reports import (
    MAX_WHAT_LENGTH,
    SELF_REPORTED,
    SELF_REPORTED_ACTIVITY,
    SelfReportError,
    read_what,
    report_key,
)


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


def test_a_self_reported_break_counts_like_a_done_but_is_no_favourite():
    now = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # a Tuesday
    done = [
        DoneEvent(now - timedelta(days=1), SELF_REPORTED_ACTIVITY, SELF_REPORTED),
        DoneEvent(now, SELF_REPORTED_ACTIVITY, SELF_REPORTED),
        DoneEvent(now, "prone-body-lift", "nudge"),
    ]
    view = progress_view(done, [], [], tz="UTC", work_days=frozenset(range(5)), now=now, titles={})
    assert view.totals.today == 2 and view.totals.total == 3
    assert view.streaks.current == 2  # Monday's walk keeps the streak going
    assert view.self_reported == 2
    assert view.favourites == [("prone-body-lift", 1)]
