"""The team library's rules: the Add / Edit form read back into an exercise (the same model and
validation as content/), the card's limits, credits, export and import."""

from __future__ import annotations

from typing import get_args

import pytest

from bot.blocks.team_library import library_view
from bot.blocks.team_library_form import (
    ADD_CALLBACK,
    EDIT_CALLBACK,
    NEW_EXERCISE_ID,
    ExerciseForm,
    exercise_modal,
    parse_exercise_form,
)
from bot.domain.content import (
    DEFAULT_CONTENT_DIR,
    Equipment,
    Load,
    Position,
    Space,
    load_library,
    validate_exercise,
)
from bot.domain.team_library import (
    Entry,
    Overview,
    TeamExercise,
    export_yaml,
    new_id,
    parse_import,
    source_for,
    workspace_library,
)
from tests.support.answers import initial_state
from tests.support.slack_limits import message_problems, view_problems

SEED = load_library()
RESERVED = {e.id for e in SEED.exercises} | {t.id for t in SEED.tips}


def form_values(**changes: object) -> dict:
    """What Slack submits for a filled-in Add form; `changes` set or clear single fields."""
    values = initial_state(exercise_modal())
    fields = {
        "title": "Wrist circles",
        "why": "Typing all day stiffens the wrists.",
        "steps": "Hold your arms out.\nCircle your wrists slowly.",
        "muscles": "wrist flexors, wrist extensors",
        "body_areas": "Wrists, forearms",
        "place": "office",
        "position": "seated",
        "space": "seat",
        "equipment": [],
        "loads": ["wrists"],
        "hold_seconds": "",
        "repetitions": "10",
        "per_side": [],
        "minutes": "2",
        "cautions": "",
        "physio": [],
    } | changes
    for block, value in fields.items():
        action = values[block][block]
        if isinstance(value, list):
            action["selected_options"] = [{"value": v} for v in value]
        elif action["type"] == "static_select":
            action["selected_option"] = {"value": value} if value else None
        else:
            action["value"] = value
    return values


def test_the_modal_keeps_slacks_limits_and_offers_the_content_models_choices():
    view = exercise_modal()
    assert view_problems(view) == []
    assert view["callback_id"] == ADD_CALLBACK
    text = str(view)
    choices = (*get_args(Position), *get_args(Space), *get_args(Equipment), *get_args(Load))
    assert all(f"'{choice}'" in text for choice in choices)


def test_a_filled_in_form_is_an_exercise_of_the_content_model():
    form = parse_exercise_form(
        form_values(repetitions="3-5", per_side=["yes"], hold_seconds="20", physio=["yes"])
    )
    assert isinstance(form, ExerciseForm)
    exercise = form.exercise
    assert exercise.id == NEW_EXERCISE_ID
    assert exercise.steps == ["Hold your arms out.", "Circle your wrists slowly."]
    assert exercise.body_areas == ["wrists", "forearms"]  # lowercased, as content/ wants
    assert (exercise.repetitions.min, exercise.repetitions.max) == (3, 5)
    assert exercise.repetitions.per_side and exercise.hold_seconds == 20
    assert form.from_physio
    assert (exercise.position, exercise.space, exercise.loads) == ("seated", "seat", ["wrists"])
    assert validate_exercise(exercise.model_dump(mode="json")) == exercise


@pytest.mark.parametrize(
    ("changes", "block"),
    [
        ({"title": ""}, "title"),
        ({"steps": "1. Hold your arms out."}, "steps"),  # numbered, as content check refuses
        ({"steps": ""}, "steps"),
        ({"repetitions": "ten"}, "repetitions"),
        ({"repetitions": "5-3"}, "repetitions"),
        ({"hold_seconds": "20s"}, "hold_seconds"),
        ({"hold_seconds": "0"}, "hold_seconds"),
        ({"minutes": "40"}, "minutes"),
        ({"position": ""}, "position"),
        ({"space": ""}, "space"),
        ({"space": "a stadium"}, "space"),  # a forged option
        ({"loads": ["ankles"]}, "loads"),  # a forged option
        ({"equipment": ["treadmill"]}, "equipment"),  # a forged option
        ({"position": "floor", "space": "floor space"}, "cautions"),  # the floor needs one
        ({"place": "moon"}, "place"),
        ({"body_areas": "lower-back"}, "body_areas"),
        ({"muscles": ""}, "muscles"),
        ({"title": "x" * 151}, "title"),  # a header holds 150 characters
        ({"why": "Ping <!channel> now"}, "why"),  # would ping a whole channel
        ({"steps": "a step\n" + "y" * 2900}, "steps"),  # past a section's 3000
    ],
)
def test_each_bad_field_gets_its_error(changes, block):
    errors = parse_exercise_form(form_values(**changes))
    assert isinstance(errors, dict)
    assert errors.get(block)


def test_a_floor_exercise_with_a_caution_is_accepted():
    form = parse_exercise_form(
        form_values(position="floor", space="floor space", cautions="Use a mat on hard floors.")
    )
    assert isinstance(form, ExerciseForm)
    assert form.exercise.cautions == ["Use a mat on hard floors."]


def test_a_forged_submission_reads_as_errors_never_an_exception():
    for state in (None, "x", {"title": "x"}, {"title": {"title": 5}}, {"steps": {"steps": []}}):
        assert isinstance(parse_exercise_form(state), dict)


def test_the_edit_modal_shows_the_exercise_as_it_is():
    form = parse_exercise_form(form_values(repetitions="3-5", physio=["yes"]))
    assert isinstance(form, ExerciseForm)
    team = TeamExercise(form.exercise.model_copy(update={"id": "wrist-circles"}), "U1", True)
    view = exercise_modal(team)
    assert view["callback_id"] == EDIT_CALLBACK and view["private_metadata"] == "wrist-circles"
    again = parse_exercise_form(initial_state(view))
    assert isinstance(again, ExerciseForm)
    assert again.exercise == form.exercise and again.from_physio


def test_new_ids_are_kebab_case_and_unique():
    assert new_id("Wrist circles!", set()) == "wrist-circles"
    assert new_id("Wrist circles", {"wrist-circles"}) == "wrist-circles-2"
    assert new_id("Seated lumbar stretch", RESERVED) == "seated-lumbar-stretch-2"
    assert new_id("!!!", set()) == "exercise"
    assert len(new_id("word " * 40, set())) <= 64


def _team(author: str | None = "U1", physio: bool = False, hidden: bool = False) -> TeamExercise:
    form = parse_exercise_form(form_values())
    assert isinstance(form, ExerciseForm)
    return TeamExercise(
        form.exercise.model_copy(update={"id": "wrist-circles"}), author, physio, hidden
    )


def test_credits():
    assert _team().as_shown().source.credit == "Added by <@U1>"
    assert _team(physio=True).as_shown().source.credit.startswith("From your physio")
    assert _team(author=None).as_shown().source.credit == "Added by a former member"


def test_a_workspace_library_is_the_seed_less_what_it_hid_plus_its_own_shown():
    hidden_seed = SEED.exercises[0].id
    library = workspace_library(SEED, {hidden_seed}, [_team(), _team(hidden=True)])
    ids = [e.id for e in library.exercises]
    assert hidden_seed not in ids
    assert ids.count("wrist-circles") == 1
    assert library.search("wrists")[0].id == "wrist-circles"


def test_export_then_import_gives_the_same_exercises():
    physio = _team(physio=True).exercise.model_copy(
        update={"id": "from-physio", "source": source_for(True)}
    )
    teams = [_team(), TeamExercise(physio, "U1", True)]
    text = export_yaml(teams)
    order = ["id:", "title:", "position:", "space:", "equipment:", "loads:", "steps:"]
    assert [text.index(field) for field in order] == sorted(text.index(f) for f in order)
    imported, problems = parse_import(text, RESERVED)
    assert problems == []
    assert [i.exercise for i in imported] == [t.exercise for t in teams]
    assert [i.from_physio for i in imported] == [False, True]


def test_a_seed_file_imports_as_written_but_not_under_a_seed_id():
    path = sorted((DEFAULT_CONTENT_DIR / "exercises").glob("*.yaml"))[0]
    text = path.read_text().replace(f'id: "{path.stem}"', 'id: "our-copy"')
    imported, problems = parse_import(text, RESERVED)
    assert problems == [] and imported[0].exercise.id == "our-copy"
    _, problems = parse_import(path.read_text(), RESERVED)
    assert problems == [f"entry 1 ({path.stem}): id: '{path.stem}' is a built-in exercise's id"]


def test_import_names_each_problem_by_entry_and_field():
    good = export_yaml([_team()])
    bad_steps = good.replace("id: wrist-circles", "id: bad-one").replace(
        "- Hold your arms out.", "- 1. Hold your arms out."
    )
    unknown = good.replace("id: wrist-circles", "id: third").replace(
        "minutes: 2", "minutes: 2\nlevel: hard"
    )
    _, problems = parse_import(
        "\n---\n".join([good, bad_steps, unknown, good, "- just a list"]), RESERVED
    )
    assert "entry 2 (bad-one): steps #1: do not number steps: they are numbered when shown" in (
        p.split(" (got")[0] for p in problems
    )
    assert "entry 3 (third): level: unknown field" in problems
    assert "entry 4 (wrist-circles): id: 'wrist-circles' appears twice in the file" in problems
    assert any(p.startswith("entry 5: ") for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file holds no exercises"),
        ("id: [unclosed", "invalid YAML"),
    ],
)
def test_unreadable_imports(text, expected):
    imported, problems = parse_import(text, RESERVED)
    assert imported == [] and problems[0].startswith(expected)


def test_the_library_view_stays_in_a_messages_limits_however_big_the_library():
    entries = [
        Entry(
            _team().as_shown().model_copy(update={"id": f"exercise-{n}"}),
            team=True,
            hidden=False,
            may_edit=True,
            may_hide=True,
        )
        for n in range(60)
    ]
    view = library_view(Overview(entries, may_add=True, admin=True, everyone_may_add=False))
    assert message_problems(view.as_kwargs()) == []
    assert "Delete" in str(view.blocks) and "Hide" in str(view.blocks)
