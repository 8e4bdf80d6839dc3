"""The fit rules and the picker (bot.domain.fit): what is ruled out and why, the movement-break
fallback, More like this, and the weighted choice that prefers what a person did and liked."""

import random
from collections import Counter
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.fit import (
    HIDDEN_BLOCK,
    RESTRICTIONS_BLOCK,
    fit_settings_blocks,
    nothing_fits_message,
    read_fit_settings,
    ruled_out_search_note,
    with_note,
)
from bot.blocks.library import library_message
from bot.blocks.settings import settings_modal
from bot.domain.content import Library, load_library
from bot.domain.fit import (
    RESTRICTIONS,
    Fit,
    Taste,
    break_reason,
    choose,
    fits,
    format_restrictions,
    more_like,
    parse_restrictions,
    ruled_out_because,
    why_not,
)
from bot.domain.preferences import Preferences
from bot.domain.work_pattern import WorkPattern
from tests.support.slack_limits import message_problems, view_problems

LIBRARY = load_library()
ACTIVITY_IDS = sorted([e.id for e in LIBRARY.exercises] + [t.id for t in LIBRARY.tips])


def exercise(exercise_id: str):
    found = LIBRARY.exercise(exercise_id)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("restriction", "place", "ruled_out"),
    [
        (
            "seated_only",
            "home",
            {
                "prone-body-lift",
                "lying-shoulder-blade-retraction",
                "torso-rotations-on-all-fours",
                "standing-hamstring-stretch",
            },
        ),
        (
            "wheelchair",
            "office",
            {
                "prone-body-lift",
                "lying-shoulder-blade-retraction",
                "torso-rotations-on-all-fours",
                "standing-hamstring-stretch",
            },
        ),
        (
            "no_floor_at_office",
            "office",
            {"prone-body-lift", "lying-shoulder-blade-retraction", "torso-rotations-on-all-fours"},
        ),
        ("no_floor_at_office", "home", set()),
        ("avoid_wrists", "home", {"prone-body-lift", "torso-rotations-on-all-fours"}),
        ("avoid_knees", "home", {"torso-rotations-on-all-fours", "standing-hamstring-stretch"}),
    ],
)
def test_each_restriction_rules_out_what_it_says(restriction, place, ruled_out) -> None:
    got = {e.id for e in LIBRARY.exercises if ruled_out_because(e, {restriction}, place)}
    assert got == ruled_out


def test_reasons_name_the_setting() -> None:
    hamstring = exercise("standing-hamstring-stretch")
    assert ruled_out_because(hamstring, {"seated_only"}, "home") == (
        "it is done standing up and you chose seated only"
    )
    assert "wheelchair" in (ruled_out_because(hamstring, {"wheelchair"}, "home") or "")
    assert "knee" in (ruled_out_because(hamstring, {"avoid_knees"}, "home") or "")
    hidden = Fit("home", taste=Taste(hidden=frozenset({hamstring.id})))
    assert why_not(hamstring, hidden) == "you hid it with Not for me"


def test_restrictions_are_stored_as_text_and_unknown_names_are_dropped() -> None:
    assert format_restrictions({"avoid_knees", "seated_only"}) == "seated_only,avoid_knees"
    assert parse_restrictions("seated_only,avoid_knees") == {"seated_only", "avoid_knees"}
    assert parse_restrictions("") == frozenset()
    assert parse_restrictions("hover_only,avoid_wrists") == {"avoid_wrists"}


def test_without_restrictions_the_place_decides() -> None:
    rng = random.Random(1)
    places = {choose(LIBRARY, Fit("office"), rng).activity.place for _ in range(50)}
    assert places == {"office"}


def test_an_exercise_for_elsewhere_when_none_here_fits() -> None:
    choice = choose(LIBRARY, Fit("home", frozenset({"seated_only"})), random.Random(2))
    assert choice is not None and choice.reason is None
    assert choice.activity.position == "seated"  # an office exercise, done at home


def test_a_fitting_movement_break_and_the_reason_when_no_exercise_fits() -> None:
    hidden = frozenset({"seated-lumbar-stretch", "scapular-retraction"})
    fit = Fit("office", frozenset({"wheelchair"}), Taste(hidden=hidden))
    for seed in range(20):
        choice = choose(LIBRARY, fit, random.Random(seed))
        assert choice is not None
        assert choice.activity.id in {"change-position", "posture-check"}  # seated breaks only
        assert choice.reason is not None
        assert "wheelchair" in choice.reason and "2 hidden" in choice.reason
    assert break_reason(LIBRARY, LIBRARY.tip("posture-check"), fit) is not None
    assert break_reason(LIBRARY, LIBRARY.tip("posture-check"), Fit("office")) is None


def test_nothing_when_everything_is_ruled_out() -> None:
    everything = Taste(hidden=frozenset(ACTIVITY_IDS))
    assert choose(LIBRARY, Fit("office", taste=everything), random.Random(0)) is None


def test_more_like_this_shares_body_areas_and_fits() -> None:
    lumbar = exercise("seated-lumbar-stretch")  # lower back, back, core
    fit = Fit("home", frozenset({"avoid_knees"}))
    seen = {more_like(LIBRARY, lumbar, fit, random.Random(seed)).activity.id for seed in range(40)}
    # Sharing lower back / back: the prone lift (not the hamstring stretch: it loads the knees).
    assert seen == {"prone-body-lift"}


def test_more_like_a_movement_break_is_another_movement_break() -> None:
    walk = LIBRARY.tip("stand-up-and-walk")
    choice = more_like(LIBRARY, walk, Fit("office"), random.Random(3))
    assert choice is not None and choice.activity.id != walk.id
    assert choice.activity in LIBRARY.movement_breaks


def test_the_picker_prefers_done_and_liked_and_still_varies() -> None:
    """Seeded, so deterministic; loose bounds: liked (weight 4 with done) beats untried (1)."""
    taste = Taste(liked=frozenset({"scapular-retraction"}), done=frozenset({"scapular-retraction"}))
    rng = random.Random(20261203)
    counts = Counter(
        choose(LIBRARY, Fit("office", taste=taste), rng).activity.id for _ in range(2000)
    )
    assert set(counts) == {"scapular-retraction", "seated-lumbar-stretch"}  # still varies
    share = counts["scapular-retraction"] / 2000
    assert 0.7 < share < 0.9  # 4 / (4 + 1) = 0.8 expected


def test_avoid_is_honoured_when_there_is_a_choice() -> None:
    for seed in range(30):
        choice = choose(LIBRARY, Fit("office"), random.Random(seed), avoid=["scapular-retraction"])
        assert choice.activity.id == "seated-lumbar-stretch"


@given(
    restrictions=st.frozensets(st.sampled_from(RESTRICTIONS)),
    hidden=st.frozensets(st.sampled_from(ACTIVITY_IDS)),
    liked=st.frozensets(st.sampled_from(ACTIVITY_IDS)),
    place=st.sampled_from(["office", "home"]),
    avoid=st.frozensets(st.sampled_from(ACTIVITY_IDS)),
    seed=st.integers(0, 2**32),
)
def test_the_picker_never_returns_a_ruled_out_item(
    restrictions, hidden, liked, place, avoid, seed
) -> None:
    fit = Fit(place, restrictions, Taste(hidden=hidden, liked=liked))
    choice = choose(LIBRARY, fit, random.Random(seed), avoid=avoid)
    anything_fits = any(fits(a, fit) for a in (*LIBRARY.exercises, *LIBRARY.movement_breaks))
    assert (choice is not None) == anything_fits
    if choice is not None:
        assert fits(choice.activity, fit)
        assert choice.activity.id not in hidden
        assert ruled_out_because(choice.activity, restrictions, place) is None
        for current in (*LIBRARY.exercises, *LIBRARY.movement_breaks):
            alike = more_like(LIBRARY, current, fit, random.Random(seed))
            assert alike is not None and fits(alike.activity, fit)


def _library_with_only(ids: set[str]) -> Library:
    return Library(exercises=tuple(e for e in LIBRARY.exercises if e.id in ids), tips=LIBRARY.tips)


def test_a_team_library_is_picked_by_the_same_rules() -> None:
    floor_only = _library_with_only({"prone-body-lift"})
    choice = choose(floor_only, Fit("home", frozenset({"avoid_wrists"})), random.Random(0))
    assert choice is not None and choice.reason is not None
    assert "avoid wrist load" in choice.reason


def test_marked_library_and_settings_stay_within_block_kit_limits() -> None:
    """A big library marked for someone with everything hidden, and the Settings part listing
    more hidden items than a multi-select may hold."""
    copies = tuple(
        exercise("prone-body-lift").model_copy(update={"id": f"lift-{n}", "title": "L" * 100})
        for n in range(130)
    )
    big = Library(exercises=LIBRARY.exercises + copies, tips=LIBRARY.tips)
    everything = Fit(
        "office", frozenset(RESTRICTIONS), Taste(hidden=frozenset(a.id for a in copies))
    )
    assert message_problems(library_message(big, everything).as_kwargs()) == []
    blocks = fit_settings_blocks(frozenset(RESTRICTIONS), copies)
    prefs = Preferences(WorkPattern.every(range(5), time(9), time(17)), 60, "office")
    modal = settings_modal(prefs, "UTC", blocks)
    assert view_problems(modal) == []
    note = ruled_out_search_note("<!channel> " * 300, [(c, "x" * 500) for c in copies])
    assert message_problems(with_note(nothing_fits_message(), note).as_kwargs()) == []


def _submitted(restrictions, kept=None) -> dict:
    values = {RESTRICTIONS_BLOCK: {RESTRICTIONS_BLOCK: {"selected_options": restrictions}}}
    if kept is not None:
        values[HIDDEN_BLOCK] = {HIDDEN_BLOCK: {"selected_options": kept}}
    return values


def test_reading_the_settings_part_back() -> None:
    lift, walk = exercise("prone-body-lift"), LIBRARY.tip("stand-up-and-walk")
    blocks = [b.to_dict() for b in fit_settings_blocks(frozenset(), [lift, walk])]
    chosen = [{"value": "seated_only"}, {"value": "avoid_knees"}]
    assert read_fit_settings(_submitted(chosen, [{"value": lift.id}]), blocks) == (
        {"seated_only", "avoid_knees"},
        {walk.id},
    )
    assert read_fit_settings(_submitted([]), []) == (frozenset(), frozenset())
    assert read_fit_settings({}, None) == (frozenset(), frozenset())


@pytest.mark.parametrize(
    ("values", "error_on"),
    [
        (_submitted([{"value": "levitate"}]), RESTRICTIONS_BLOCK),
        (_submitted("seated_only"), RESTRICTIONS_BLOCK),
        (_submitted([{"value": 3}]), RESTRICTIONS_BLOCK),
        (_submitted([], [{"value": "someone-elses-id"}]), HIDDEN_BLOCK),
    ],
)
def test_a_tampered_settings_part_is_an_error_on_its_block(values, error_on) -> None:
    blocks = [b.to_dict() for b in fit_settings_blocks(frozenset(), [exercise("prone-body-lift")])]
    assert set(read_fit_settings(values, blocks)) == {error_on}
