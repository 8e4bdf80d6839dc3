"""Reading the workspace defaults modal (valid, and every kind of bad or forged answer) and the
bounds of the daily cap; the modal and the Admin section within Block Kit's limits."""

from __future__ import annotations

from datetime import time

import pytest

from bot.blocks.admin import CAP_BLOCK, CHANNELS_BLOCK, admin_lines, admin_section, defaults_modal
from bot.blocks.admin_form import CAP_PROMPT, CHANNELS_PROMPT, parse_defaults
from bot.blocks.settings import DAYS_BLOCK, END_BLOCK, INTERVAL_BLOCK
from bot.domain.preferences import Preferences
from bot.domain.workspace_defaults import WorkspaceDefaults, bounded_cap
from tests.support.answers import initial_state
from tests.support.slack_limits import view_problems

ENVIRONMENT = WorkspaceDefaults(
    Preferences(frozenset(range(5)), time(9), time(17), 60, "office"), daily_nudge_cap=8
)


def answers(**changes: dict) -> dict:
    values = initial_state(defaults_modal(ENVIRONMENT))
    for block, answer in changes.items():
        values[block][block].update(answer)
    return values


def test_the_untouched_modal_reads_back_as_what_it_showed():
    assert parse_defaults(answers()) == ENVIRONMENT


def test_chosen_channels_and_cap_are_read():
    parsed = parse_defaults(
        answers(
            **{
                CHANNELS_BLOCK: {"selected_conversations": ["C0ABC", "G0PRIVATE"]},
                CAP_BLOCK: {"selected_option": {"value": "16"}},
            }
        )
    )
    assert isinstance(parsed, WorkspaceDefaults)
    assert parsed.challenge_channels == {"C0ABC", "G0PRIVATE"} and parsed.daily_nudge_cap == 16
    assert parsed.allows_challenges_in("C0ABC") and not parsed.allows_challenges_in("C0OTHER")
    assert ENVIRONMENT.allows_challenges_in("C0ANY")


@pytest.mark.parametrize(
    ("block", "answer", "error"),
    [
        (CAP_BLOCK, {"selected_option": {"value": "0"}}, CAP_PROMPT),
        (CAP_BLOCK, {"selected_option": {"value": "17"}}, CAP_PROMPT),
        (CAP_BLOCK, {"selected_option": {"value": "-3"}}, CAP_PROMPT),
        (CAP_BLOCK, {"selected_option": None}, CAP_PROMPT),
        (CHANNELS_BLOCK, {"selected_conversations": ["<!channel>"]}, CHANNELS_PROMPT),
        (CHANNELS_BLOCK, {"selected_conversations": "C0ABC"}, CHANNELS_PROMPT),
        (CHANNELS_BLOCK, {"selected_conversations": [f"C{n:04d}" for n in range(101)]}, None),
        (DAYS_BLOCK, {"selected_options": []}, None),
        (END_BLOCK, {"selected_time": "08:00"}, None),
        (INTERVAL_BLOCK, {"selected_option": {"value": "7"}}, None),
    ],
)
def test_bad_answers_are_errors_on_their_field(block, answer, error):
    parsed = parse_defaults(answers(**{block: answer}))
    assert isinstance(parsed, dict) and set(parsed) == {block}
    assert error is None or parsed[block] == error


@pytest.mark.parametrize("state", [None, [], "x", {CAP_BLOCK: "x"}, {CAP_BLOCK: {CAP_BLOCK: 3}}])
def test_a_forged_or_empty_submission_is_errors_not_an_exception(state):
    parsed = parse_defaults(state)
    assert isinstance(parsed, dict) and CAP_BLOCK in parsed


def test_the_cap_is_bounded():
    with pytest.raises(ValueError, match="1–16"):
        WorkspaceDefaults(ENVIRONMENT.new_people, daily_nudge_cap=17)
    assert [bounded_cap(n) for n in (0, 1, 8, 16, 48)] == [1, 1, 8, 16, 16]


def test_modal_and_section_hold_within_block_kit_limits():
    many = WorkspaceDefaults(ENVIRONMENT.new_people, 4, frozenset(f"C{n:04d}" for n in range(100)))
    assert view_problems(defaults_modal(many)) == []
    section = {"type": "home", "blocks": [b.to_dict() for b in admin_section(admin_lines(many))]}
    assert view_problems(section) == []
    assert "any channel" in admin_lines(ENVIRONMENT)[1]
