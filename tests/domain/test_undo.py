"""The rules of Undo (`bot.domain.undo`) and the messages that carry it (`bot.blocks.undo`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.exercise import done_confirmation
from bot.blocks.ids import UNDO_DONE
from bot.blocks.undo import undo_done_value, with_undo
from bot.domain.content import load_library
from bot.domain.undo import UNDO_WINDOW, matches_stamp, stamp, within_undo_window
from tests.support.slack_limits import message_problems

DONE_AT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_the_window_is_one_minute_from_the_answer():
    assert within_undo_window(DONE_AT, DONE_AT)
    assert within_undo_window(DONE_AT, DONE_AT + UNDO_WINDOW)
    assert not within_undo_window(DONE_AT, DONE_AT + UNDO_WINDOW + timedelta(microseconds=1))
    assert not within_undo_window(DONE_AT, DONE_AT - timedelta(seconds=1))  # clocks out of step


@given(
    st.datetimes(
        timezones=st.just(UTC),
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 — hypothesis takes naive bounds
    )
)
def test_a_stamp_names_exactly_one_instant(at):
    assert matches_stamp(at, stamp(at))
    assert not matches_stamp(at + timedelta(microseconds=1), stamp(at))


def test_forged_stamps_match_nothing():
    for forged in (None, "1", 1.5, True, [stamp(DONE_AT)]):
        assert not matches_stamp(DONE_AT, forged)
    assert not matches_stamp(None, stamp(DONE_AT))


def test_the_undo_button_keeps_the_answer_and_slack_s_limits():
    exercise = load_library().exercises[0]
    answer = done_confirmation(exercise, 3)
    message = with_undo(answer, UNDO_DONE, undo_done_value("f" * 32, "command", DONE_AT))
    assert message.text == answer.text and message.blocks[: len(answer.blocks)] == answer.blocks
    assert message_problems(message.as_kwargs()) == []
