"""Tests for the Settings modal (bot.blocks.settings), reading its submission back
(bot.blocks.settings_form) and the Preferences it yields (bot.domain.preferences).

Submissions are simulated the way Slack builds them: ``state.values[block_id][action_id]`` holds
the element's type and the chosen ``selected_options`` / ``selected_time`` / ``selected_option`` /
``value``, which for an untouched modal are the elements' initial values.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.blocks.settings import (
    INTERVAL_BLOCK,
    LUNCH_END_BLOCK,
    LUNCH_START_BLOCK,
    PLACE_BLOCK,
    SETTINGS_CALLBACK,
    SUMMARY_BLOCK,
    TZ_BLOCK,
    settings_modal,
)
from bot.blocks.settings_form import canonical_time_zone, parse_submission
from bot.blocks.work_hours import HOURS_BLOCKS, SAME_AS_MONDAY_BLOCK
from bot.domain.preferences import PLACES, Preferences, format_days, parse_days
from bot.domain.schedule import INTERVAL_CHOICES
from bot.domain.work_pattern import Window, WorkPattern
from tests.support.answers import initial_state
from tests.support.slack_limits import view_problems

MONDAY, TUESDAY = HOURS_BLOCKS[:2]
BLOCK_IDS = (
    MONDAY,
    SAME_AS_MONDAY_BLOCK,
    *HOURS_BLOCKS[1:],
    INTERVAL_BLOCK,
    PLACE_BLOCK,
    LUNCH_START_BLOCK,
    LUNCH_END_BLOCK,
    TZ_BLOCK,
    SUMMARY_BLOCK,
)
WEEKDAYS = frozenset(range(5))
PREFS = Preferences(
    WorkPattern.every(WEEKDAYS, time(9), time(17)), 60, "office", time(12), time(13)
)
EVERYTHING_SET = Preferences(
    work_pattern=WorkPattern(
        (
            (Window(time(7, 30), time(11)), Window(time(15), time(19))),
            (),
            (Window(time(7, 30), time(15, 45)),),
            (),
            (Window(time(22), time(6)),),
            (),
            (Window(time(8), time(9)), Window(time(10), time(11)), Window(time(12), time(13))),
        )
    ),
    interval_minutes=45,
    place="home",
    lunch_start=time(11, 15),
    lunch_end=time(12),
    tz_override="Asia/Kathmandu",
    weekly_summary=True,
)
NO_LUNCH = Preferences(WorkPattern.every(frozenset({3}), time(20), time(23, 59)), 120, "office")


def submitted(answers: dict[str, dict[str, Any]], prefs: Preferences = PREFS) -> dict[str, Any]:
    """The state values after changing some answers in a modal showing ``prefs``."""
    values = initial_state(settings_modal(prefs, "Europe/Berlin"))
    for block_id, answer in answers.items():
        values[block_id][block_id].update(answer)
    return values


def picked(hhmm: str | None) -> dict[str, Any]:
    return {"selected_time": hhmm}


def chosen(value: str) -> dict[str, Any]:
    return {"selected_option": {"text": {"type": "plain_text", "text": value}, "value": value}}


def ticked(*values: str) -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": v}, "value": v} for v in values]
    return {"selected_options": options}


def typed(text: str | None) -> dict[str, Any]:
    return {"value": text}


# --- the modal ---------------------------------------------------------------------------------


@pytest.mark.parametrize("prefs", [PREFS, EVERYTHING_SET, NO_LUNCH])
def test_round_trip(prefs: Preferences) -> None:
    assert parse_submission(initial_state(settings_modal(prefs, "Europe/Berlin"))) == prefs


@pytest.mark.parametrize("prefs", [PREFS, EVERYTHING_SET, NO_LUNCH])
def test_modal_is_within_slack_limits(prefs: Preferences) -> None:
    view = settings_modal(prefs, "America/Argentina/ComodRivadavia")
    assert view_problems(view) == []
    assert view["callback_id"] == SETTINGS_CALLBACK
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == (
        "Stretch settings",
        "Save",
        "Cancel",
    )
    assert [block["block_id"] for block in view["blocks"]] == list(BLOCK_IDS)


def test_modal_names_the_profile_zone_and_marks_optional_inputs() -> None:
    blocks = {block["block_id"]: block for block in settings_modal(PREFS, "Asia/Tokyo")["blocks"]}
    assert "currently Asia/Tokyo" in blocks[TZ_BLOCK]["hint"]["text"]
    optional = {block_id for block_id, block in blocks.items() if block.get("optional")}
    assert optional == {
        LUNCH_START_BLOCK,
        LUNCH_END_BLOCK,
        TZ_BLOCK,
        SUMMARY_BLOCK,
        SAME_AS_MONDAY_BLOCK,
        *HOURS_BLOCKS,
    }
    assert "initial_value" not in blocks[TZ_BLOCK]["element"]
    assert "initial_options" not in blocks[SUMMARY_BLOCK]["element"]


# --- validation --------------------------------------------------------------------------------

NO_LUNCH_ANSWERS = {LUNCH_START_BLOCK: picked(None), LUNCH_END_BLOCK: picked(None)}
ONLY_MONDAY = {block: typed("") for block in HOURS_BLOCKS[1:]}


ERROR_CASES = {
    "no work day": ({block: typed("") for block in HOURS_BLOCKS}, MONDAY),
    "unreadable hours": ({TUESDAY: typed("9-noon")}, TUESDAY),
    "end equals start": ({TUESDAY: typed("9-9")}, TUESDAY),
    "windows overlap": ({TUESDAY: typed("9-12, 11-13")}, TUESDAY),
    "four windows": ({TUESDAY: typed("7-8, 9-10, 11-12, 13-14")}, TUESDAY),
    "a night runs into the next morning": ({MONDAY: typed("22-10")}, TUESDAY),
    "same as a day that is no weekday": ({SAME_AS_MONDAY_BLOCK: ticked("7")}, SAME_AS_MONDAY_BLOCK),
    "interval not a choice": ({INTERVAL_BLOCK: chosen("50")}, INTERVAL_BLOCK),
    "no interval": ({INTERVAL_BLOCK: {"selected_option": None}}, INTERVAL_BLOCK),
    "no place": ({PLACE_BLOCK: {"selected_option": None}}, PLACE_BLOCK),
    "unknown place": ({PLACE_BLOCK: chosen("moon")}, PLACE_BLOCK),
    "lunch start only": ({LUNCH_END_BLOCK: picked(None)}, LUNCH_END_BLOCK),
    "lunch end only": ({LUNCH_START_BLOCK: picked(None)}, LUNCH_START_BLOCK),
    "lunch ends before it starts": (
        {LUNCH_START_BLOCK: picked("13:00"), LUNCH_END_BLOCK: picked("12:00")},
        LUNCH_END_BLOCK,
    ),
    "unknown time zone": ({TZ_BLOCK: typed("Mars/Olympus")}, TZ_BLOCK),
    "the server's zone": ({TZ_BLOCK: typed("localtime")}, TZ_BLOCK),
    "day shorter than the interval": (
        {**ONLY_MONDAY, MONDAY: typed("9-9:45"), **NO_LUNCH_ANSWERS},
        INTERVAL_BLOCK,
    ),
    "day exactly one interval": (
        {**ONLY_MONDAY, MONDAY: typed("9-10"), **NO_LUNCH_ANSWERS},
        INTERVAL_BLOCK,
    ),
    "every reminder at lunch": (
        {
            **ONLY_MONDAY,
            MONDAY: typed("9-10:30"),
            LUNCH_START_BLOCK: picked("09:30"),
            LUNCH_END_BLOCK: picked("10:15"),
        },
        INTERVAL_BLOCK,
    ),
}


@pytest.mark.parametrize(("answers", "block_id"), ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_each_error_lands_on_its_block(answers: dict[str, Any], block_id: str) -> None:
    errors = parse_submission(submitted(answers))
    assert isinstance(errors, dict)
    assert list(errors) == [block_id]
    assert errors[block_id].strip()


def test_messages_say_what_to_fix() -> None:
    errors = parse_submission(submitted({TUESDAY: typed("9-12:30, 1330-17")}))
    assert errors == {
        TUESDAY: "I couldn't read “1330” in “1330-17” as a time: use 24-hour times like 9, "
        "13:30 or 17.30, or 9am / 5:30pm."
    }
    short = parse_submission(
        submitted({**ONLY_MONDAY, MONDAY: typed("9-9:45"), **NO_LUNCH_ANSWERS})
    )
    assert short == {
        INTERVAL_BLOCK: "No reminder every 60 minutes fits in your work hours outside lunch: "
        "choose a shorter interval, longer hours or a different lunch."
    }


def test_all_errors_are_reported_together_and_nothing_is_half_read() -> None:
    errors = parse_submission(
        submitted({MONDAY: typed("9-17"), TUESDAY: typed("whenever"), TZ_BLOCK: typed("Nowhere")})
    )
    assert set(errors) == {TUESDAY, TZ_BLOCK}


def test_same_as_monday_copies_mondays_hours_and_ignores_the_days_own_row() -> None:
    prefs = parse_submission(
        submitted(
            {
                MONDAY: typed("7-11, 15-19"),
                SAME_AS_MONDAY_BLOCK: ticked("1", "3"),
                TUESDAY: typed("not read at all"),
                HOURS_BLOCKS[2]: typed("10-14"),
            }
        )
    )
    assert isinstance(prefs, Preferences)
    split = (Window(time(7), time(11)), Window(time(15), time(19)))
    assert prefs.work_pattern.days[:4] == (split, split, (Window(time(10), time(14)),), split)


@pytest.mark.parametrize(
    ("typed_zone", "expected"),
    [
        ("europe/berlin", "Europe/Berlin"),
        ("  AMERICA/NEW_YORK ", "America/New_York"),
        ("Asia/Kathmandu", "Asia/Kathmandu"),
        ("utc", "UTC"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_time_zone_is_matched_case_insensitively(typed_zone: str | None, expected: str) -> None:
    prefs = parse_submission(submitted({TZ_BLOCK: typed(typed_zone)}))
    assert isinstance(prefs, Preferences)
    assert prefs.tz_override == expected


def test_canonical_time_zone() -> None:
    assert canonical_time_zone("pacific/chatham") == "Pacific/Chatham"
    assert canonical_time_zone("Europe/Berlin ") == "Europe/Berlin"
    assert canonical_time_zone("Europe") is None
    assert canonical_time_zone("Factory") is None


# --- untrusted payloads ------------------------------------------------------------------------

MALFORMED = {
    "not a dict": (None, set(BLOCK_IDS)),
    "a list": ([1, 2], set(BLOCK_IDS)),
    "empty": ({}, set(BLOCK_IDS)),
    "block not a dict": (submitted({}) | {MONDAY: "09:00"}, {MONDAY}),
    "action id missing": (submitted({}) | {TUESDAY: {"other": typed("9-17")}}, {TUESDAY}),
    "hours as a number": (submitted({MONDAY: {"value": 900}}), {MONDAY}),
    "hours too long": (submitted({MONDAY: typed("9-17, " * 40)}), {MONDAY}),
    "non-ASCII digits": (submitted({MONDAY: typed("٠٩-١٧")}), {MONDAY}),
    "same as: options not a list": (
        submitted({SAME_AS_MONDAY_BLOCK: {"selected_options": "1"}}),
        {SAME_AS_MONDAY_BLOCK},
    ),
    "same as: day value a number": (
        submitted({SAME_AS_MONDAY_BLOCK: {"selected_options": [{"value": 1}]}}),
        {SAME_AS_MONDAY_BLOCK},
    ),
    "option a string": (submitted({INTERVAL_BLOCK: {"selected_option": "60"}}), {INTERVAL_BLOCK}),
    "option value a list": (
        submitted({PLACE_BLOCK: {"selected_option": {"value": ["home"]}}}),
        {PLACE_BLOCK},
    ),
    "zone a number": (submitted({TZ_BLOCK: {"value": 3}}), {TZ_BLOCK}),
    "summary other value": (submitted({SUMMARY_BLOCK: ticked("yes")}), {SUMMARY_BLOCK}),
    "summary ticked twice": (submitted({SUMMARY_BLOCK: ticked("on", "on")}), {SUMMARY_BLOCK}),
}


@pytest.mark.parametrize(("values", "bad_blocks"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_state_gives_errors(values: Any, bad_blocks: set[str]) -> None:
    errors = parse_submission(values)
    assert isinstance(errors, dict)
    assert set(errors) == bad_blocks


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(BLOCK_IDS) | st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)
ANSWER = st.fixed_dictionaries(
    {},
    optional={
        "type": JSON,
        "selected_options": st.lists(st.fixed_dictionaries({"value": JSON})) | JSON,
        "selected_time": st.sampled_from(["09:00", "17:00", "12:30", "25:00"]) | JSON,
        "selected_option": st.fixed_dictionaries({"value": JSON | st.just("60")}) | JSON,
        "value": st.sampled_from(["europe/berlin", "", "Etc/GMT+5"]) | JSON,
    },
)
STATE = st.fixed_dictionaries(
    {}, optional={b: st.fixed_dictionaries({}, optional={b: ANSWER}) | JSON for b in BLOCK_IDS}
)


def assert_well_formed(result: object) -> None:
    if isinstance(result, Preferences):
        return
    assert isinstance(result, dict)
    assert result
    assert set(result) <= set(BLOCK_IDS)
    assert all(isinstance(message, str) and message for message in result.values())


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_json_never_raises(values: Any) -> None:
    assert_well_formed(parse_submission(values))


@settings(max_examples=300, deadline=None)
@given(STATE)
def test_tampered_state_never_raises(values: dict[str, Any]) -> None:
    assert_well_formed(parse_submission(values))


# --- valid exactly when schedulable ------------------------------------------------------------

MINUTE_TIMES = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@st.composite
def any_preferences(draw: st.DrawFn) -> Preferences:
    """Preferences as a modal could show them, valid or not."""
    lunch = draw(st.none() | st.tuples(MINUTE_TIMES, MINUTE_TIMES))
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    start, end = (
        draw(MINUTE_TIMES),
        draw(MINUTE_TIMES).replace(minute=draw(st.sampled_from([0, 30]))),
    )
    assume(start != end)
    return Preferences(
        work_pattern=WorkPattern.every(days, start, end),
        interval_minutes=draw(st.sampled_from(INTERVAL_CHOICES)),
        place=draw(st.sampled_from(PLACES)),
        lunch_start=lunch and lunch[0],
        lunch_end=lunch and lunch[1],
        tz_override=draw(st.sampled_from([None, "Europe/Berlin", "Pacific/Chatham", "Mars/Base"])),
        weekly_summary=draw(st.booleans()),
    )


def schedulable(prefs: Preferences) -> bool:
    try:
        prefs.schedule("UTC", 0)
    except ValueError:
        return False
    return prefs.tz_override is None or canonical_time_zone(prefs.tz_override) is not None


@settings(max_examples=300, deadline=None)
@given(any_preferences())
def test_a_submission_is_valid_exactly_when_it_can_be_scheduled(prefs: Preferences) -> None:
    result = parse_submission(initial_state(settings_modal(prefs, "UTC")))
    assert (result == prefs) is schedulable(prefs)


# --- Preferences -------------------------------------------------------------------------------


def test_override_zone_wins_over_the_profile() -> None:
    assert PREFS.schedule("Asia/Tokyo", 0).tz == "Asia/Tokyo"
    assert EVERYTHING_SET.schedule("Asia/Tokyo", 0).tz == "Asia/Kathmandu"


def test_schedule_carries_every_choice() -> None:
    sched = EVERYTHING_SET.schedule("UTC", 600)
    assert sched.pattern == EVERYTHING_SET.work_pattern
    assert (sched.interval_minutes, sched.lunch_start, sched.lunch_end) == (
        45,
        time(11, 15),
        time(12),
    )
    assert sched.offset_seconds == 600


def test_an_offset_that_leaves_no_slot_is_dropped() -> None:
    short = Preferences(WorkPattern.every(WEEKDAYS, time(9), time(10, 30)), 60, "office")
    assert short.schedule("UTC", 45 * 60).offset_seconds == 0
    assert short.schedule("UTC", 15 * 60).offset_seconds == 15 * 60
    with pytest.raises(ValueError, match="offset"):
        short.schedule("UTC", 60 * 60)


def test_invalid_preferences_cannot_be_scheduled() -> None:
    with pytest.raises(ValueError, match="No break fits"):
        Preferences(WorkPattern.every(WEEKDAYS, time(9), time(9, 30)), 60, "office").schedule(
            "UTC", 0
        )


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon,tue,wed,thu,fri", WEEKDAYS),
        ("Sat, SUN", frozenset({5, 6})),
        ("monday,friday", frozenset({0, 4})),
        ("wed,wed", frozenset({2})),
    ],
)
def test_parse_days(text: str, days: frozenset[int]) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["", "  ", "mon,tues", "mon;tue", "mon,,tue", "1,2"])
def test_parse_days_rejects_unknown_names(text: str) -> None:
    with pytest.raises(ValueError, match="day"):
        parse_days(text)


def test_format_days_is_the_inverse_of_parse_days() -> None:
    assert format_days(WEEKDAYS) == "mon,tue,wed,thu,fri"
    for days in (WEEKDAYS, frozenset({6}), frozenset(range(7)), frozenset({1, 5})):
        assert parse_days(format_days(days)) == days
