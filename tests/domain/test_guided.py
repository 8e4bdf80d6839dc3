"""Guided mode's pure parts: the step sequence (sides, holds, repetitions), the values its buttons
carry, the response_url budget, and the step message against Block Kit limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.guided import step_message
from bot.blocks.ids import GUIDE_BACK, GUIDE_DONE, GUIDE_NEXT
from bot.blocks.message import read_value
from bot.domain.content import Exercise, Repetitions, load_library
from bot.domain.guided import (
    RESPONSE_URL_LIFETIME,
    RESPONSE_URL_USES,
    GuideStep,
    ResponseUrlUse,
    WalkRef,
    challenge_day_card,
    challenge_day_of,
    guide_steps,
    read_walk,
)
from tests.support.slack_limits import message_problems

LIBRARY = load_library()


def exercise(exercise_id: str) -> Exercise:
    found = LIBRARY.exercise(exercise_id)
    assert found is not None
    return found


def variant(base: str, **changes: object) -> Exercise:
    return exercise(base).model_copy(update=changes)


def test_per_side_exercise_repeats_its_movement_for_the_other_side():
    steps = guide_steps(exercise("seated-lumbar-stretch"))
    assert [(s.side, s.hold_seconds) for s in steps] == [
        (None, None),  # sit on a chair: the starting position, once
        ("first", None),
        ("first", 10),  # "Hold for 10 seconds"
        ("other", None),
        ("other", 10),
    ]
    assert steps[1].text == steps[3].text and steps[2].text == steps[4].text
    assert not any("other side" in s.text for s in steps)  # the "repeat" step became the repeat
    assert steps[2].repeat_note == "Do this 3–5 times, then switch to the other side."
    assert steps[4].repeat_note == "Do this 3–5 times on this side too."
    assert [s.repeat_note for s in steps].count(None) == 3


def test_per_side_exercise_without_an_other_side_step():
    steps = guide_steps(exercise("torso-rotations-on-all-fours"))
    assert [s.side for s in steps] == [None, "first", "first", "other", "other"]
    assert all(s.hold_seconds is None for s in steps)
    assert steps[-1].repeat_note == "Do this 5 times on this side too."


def test_one_step_per_side_exercise_is_that_step_on_each_side():
    steps = guide_steps(
        variant("torso-rotations-on-all-fours", steps=["Twist to one side."], hold_seconds=3)
    )
    assert steps == (
        GuideStep(
            "Twist to one side.", 3, "first", "Do this 5 times, then switch to the other side."
        ),
        GuideStep("Twist to one side.", 3, "other", "Do this 5 times on this side too."),
    )


def test_hold_goes_to_the_step_that_says_hold():
    steps = guide_steps(exercise("scapular-retraction"))
    assert [s.hold_seconds for s in steps] == [None, None, 5]
    assert steps[-1].repeat_note == "Do this 3–5 times."


def test_a_hold_no_step_mentions_goes_to_the_last_step():
    steps = guide_steps(variant("standing-hamstring-stretch", hold_seconds=20))
    assert [s.hold_seconds for s in steps] == [None, None, None, 20]


def test_no_hold_without_hold_seconds_even_if_a_step_says_hold():
    steps = guide_steps(variant("scapular-retraction", hold_seconds=None))
    assert all(s.hold_seconds is None for s in steps)


def test_a_single_repetition_is_said_once():
    once = Repetitions(min=1, max=1, per_side=False)
    steps = guide_steps(variant("scapular-retraction", repetitions=once))
    assert steps[-1].repeat_note == "Do this once."


@pytest.mark.parametrize("item", LIBRARY.exercises, ids=lambda e: e.id)
def test_every_seed_exercise_walks_within_block_kit_limits(item):
    steps = guide_steps(item)
    assert steps
    walk = WalkRef(item.id, "c" * 80, "command", 0)
    for number in range(len(steps)):
        for advances in (True, False):
            message = step_message(item, steps, walk.to(number), advances)
            assert message_problems(message.as_kwargs()) == []


def test_step_message_shows_progress_hold_and_buttons():
    item = exercise("seated-lumbar-stretch")
    steps = guide_steps(item)
    walk = WalkRef(item.id, "card1", "command", 2)
    message = step_message(item, steps, walk, advances_by_itself=True)
    shown = str(message.blocks)
    assert "*Step 3 of 5* · First side" in shown
    assert "Hold 10 s* — I'll move on when it's up" in shown
    assert message.text == "Seated lumbar stretch: step 3 of 5, First side"
    buttons = {e["action_id"]: read_value(e["value"]) for e in message.blocks[-1]["elements"]}
    assert buttons[GUIDE_BACK]["step"] == 1 and buttons[GUIDE_NEXT]["step"] == 3
    assert GUIDE_DONE not in buttons

    waits = step_message(item, steps, walk, advances_by_itself=False)
    assert "Hold 10 s* — then tap *Next*" in str(waits.blocks)

    last = step_message(item, steps, walk.to(4), advances_by_itself=False)
    buttons = {e["action_id"]: read_value(e["value"]) for e in last.blocks[-1]["elements"]}
    assert set(buttons) == {GUIDE_BACK, GUIDE_DONE}
    assert buttons[GUIDE_DONE] == {
        "exercise": item.id,
        "card": "card1",
        "source": "command",
        "step": 4,
    }
    assert "then tap *Done*" in str(last.blocks)

    first = step_message(item, steps, walk.to(0), advances_by_itself=False)
    assert {e["action_id"] for e in first.blocks[-1]["elements"]} == {GUIDE_NEXT}


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"exercise": 1, "card": "abc", "source": "command"},
        {"exercise": "x", "card": "no spaces", "source": "command"},
        {"exercise": "x", "card": "abc", "source": None},
        {"exercise": "x", "card": "abc", "source": "command", "step": -1},
        {"exercise": "x", "card": "abc", "source": "command", "step": "2"},
        {"exercise": "x", "card": "abc", "source": "command", "step": True},
        {"exercise": "x", "card": "abc", "source": "command", "step": 1.5},
    ],
)
def test_malformed_walk_values_are_refused(value):
    assert read_walk(value) is None


def test_walk_values_read_back():
    walk = WalkRef("seated-lumbar-stretch", "nudge-7", "nudge", 3)
    assert read_walk(walk.as_value()) == walk
    assert read_walk({"exercise": "x", "card": "abc", "source": "command"}) == WalkRef(
        "x", "abc", "command", 0
    )


def test_challenge_day_cards():
    assert challenge_day_of(challenge_day_card(42)) == 42
    for card in ("day-", "day-x", "nudge-4", "day-0", f"day-{2**40}"):
        assert challenge_day_of(card) is None


def test_a_response_url_takes_five_uses_in_thirty_minutes():
    start = datetime(2026, 11, 24, 10, tzinfo=UTC)
    use = ResponseUrlUse(start)
    for _ in range(RESPONSE_URL_USES - 1):
        assert use.allows_another(start)
        use = use.used_again()
    assert use.uses == RESPONSE_URL_USES and not use.allows_another(start)
    fresh = ResponseUrlUse(start)
    assert fresh.allows_another(start + RESPONSE_URL_LIFETIME - timedelta(seconds=1))
    assert not fresh.allows_another(start + RESPONSE_URL_LIFETIME)


STEP_TEXTS = st.sampled_from(
    ["Sit down.", "Lean left.", "Hold for a while.", "Repeat on the other side.", "Relax."]
)


@given(
    steps=st.lists(STEP_TEXTS, min_size=1, max_size=6),
    hold=st.one_of(st.none(), st.integers(1, 60)),
    per_side=st.booleans(),
)
def test_any_exercise_walks_through_sides_and_holds_consistently(steps, hold, per_side):
    reps = Repetitions(min=2, max=4, per_side=per_side)
    walk = guide_steps(
        variant("scapular-retraction", steps=steps, hold_seconds=hold, repetitions=reps)
    )
    assert walk and all(step.text in steps for step in walk)
    sides = [step.side for step in walk]
    if per_side:
        assert sides.count("first") == sides.count("other") >= 1
        assert [s.text for s in walk if s.side == "first"] == [
            s.text for s in walk if s.side == "other"
        ]
    else:
        assert sides == [None] * len(steps)
    held = [step.hold_seconds for step in walk if step.hold_seconds is not None]
    assert all(seconds == hold for seconds in held)
    assert bool(held) == (hold is not None)  # a hold always lands on some step
    assert walk[-1].repeat_note is not None
    assert sum(step.repeat_note is not None for step in walk) == (2 if per_side else 1)
