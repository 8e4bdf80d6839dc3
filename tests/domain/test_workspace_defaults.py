"""Reading the workspace defaults modal (valid, and every kind of bad or forged answer: work
hours, holidays, channels, cap) and the bounds of the daily cap; the modal and the Admin section
within Block Kit's limits."""

from __future__ import annotations

from datetime import time

import pytest

from bot.blocks.admin import CAP_BLOCK, CHANNELS_BLOCK, admin_lines, admin_section, defaults_modal
from bot.blocks.admin_form import cap_prompt, channels_prompt, parse_defaults
from bot.blocks.holiday_settings import HOLIDAY_COUNTRY_BLOCK, HOLIDAY_REGION_BLOCK
from bot.blocks.settings import INTERVAL_BLOCK
from bot.blocks.work_hours import HOURS_BLOCKS, SAME_AS_MONDAY_BLOCK
from bot.domain.holidays import HolidayRegion
from bot.domain.preferences import Preferences
from bot.domain.work_pattern import Window, WorkPattern
from bot.domain.workspace_defaults import WorkspaceDefaults, bounded_cap, channel_allowed
from tests.support.answers import initial_state
from tests.support.slack_limits import view_problems

ENVIRONMENT = WorkspaceDefaults(
    Preferences(WorkPattern.every(range(5), time(9), time(17)), 60, "office"), daily_nudge_cap=8
)
MONDAY, TUESDAY, WEDNESDAY = HOURS_BLOCKS[:3]


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
    assert channel_allowed(frozenset(), "C0ANY") and not channel_allowed(frozenset({"C1"}), "C2")


def test_work_hours_are_read_like_settings_with_same_as_monday():
    parsed = parse_defaults(
        answers(
            **{
                MONDAY: {"value": "7-11, 15-19"},
                SAME_AS_MONDAY_BLOCK: {"selected_options": [{"value": "1"}]},
                TUESDAY: {"value": "garbage, ignored: same as Monday"},
                WEDNESDAY: {"value": "22-6"},
            }
        )
    )
    assert isinstance(parsed, WorkspaceDefaults)
    split = (Window(time(7), time(11)), Window(time(15), time(19)))
    days = parsed.new_people.work_pattern.days
    assert days[0] == days[1] == split and days[2] == (Window(time(22), time(6)),)


def test_holidays_are_read_and_shown():
    assert ENVIRONMENT.holidays is None
    parsed = parse_defaults(
        answers(
            **{
                HOLIDAY_COUNTRY_BLOCK: {"selected_option": {"value": "DE"}},
                HOLIDAY_REGION_BLOCK: {"value": "by"},
            }
        )
    )
    assert isinstance(parsed, WorkspaceDefaults) and parsed.holidays == HolidayRegion("DE", "BY")
    assert parse_defaults(initial_state(defaults_modal(parsed))) == parsed
    assert "DE" in admin_lines(parsed)[1] or "Germany" in admin_lines(parsed)[1]


@pytest.mark.parametrize(
    ("block", "answer", "error"),
    [
        (CAP_BLOCK, {"selected_option": {"value": "0"}}, cap_prompt()),
        (CAP_BLOCK, {"selected_option": {"value": "17"}}, cap_prompt()),
        (CAP_BLOCK, {"selected_option": {"value": "-3"}}, cap_prompt()),
        (CAP_BLOCK, {"selected_option": None}, cap_prompt()),
        (CHANNELS_BLOCK, {"selected_conversations": ["<!channel>"]}, channels_prompt()),
        (CHANNELS_BLOCK, {"selected_conversations": "C0ABC"}, channels_prompt()),
        (CHANNELS_BLOCK, {"selected_conversations": [f"C{n:04d}" for n in range(101)]}, None),
        (MONDAY, {"value": "25-30"}, None),
        (MONDAY, {"value": 9}, None),
        (SAME_AS_MONDAY_BLOCK, {"selected_options": [{"value": "0"}]}, None),
        (INTERVAL_BLOCK, {"selected_option": {"value": "7"}}, None),
        (HOLIDAY_COUNTRY_BLOCK, {"selected_option": {"value": "default"}}, None),
        (HOLIDAY_COUNTRY_BLOCK, {"selected_option": {"value": "XX"}}, None),
        (HOLIDAY_REGION_BLOCK, {"value": "NOWHERE"}, None),
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
    assert "any channel" in admin_lines(ENVIRONMENT)[2]
