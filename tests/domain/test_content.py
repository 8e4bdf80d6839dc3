"""Tests for bot.domain.content: the real content, search, and the loader's error reports."""

import shutil
from pathlib import Path

import pytest

from bot.domain.content import DEFAULT_CONTENT_DIR, ContentError, Exercise, Library, load_library

DASH = "\N{EN DASH}"
ARTICLE = "How to stretch your back after sedentary work"
EXERCISE_IDS = {
    "seated-lumbar-stretch",
    "scapular-retraction",
    "prone-body-lift",
    "lying-shoulder-blade-retraction",
    "torso-rotations-on-all-fours",
    "standing-hamstring-stretch",
}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def get(library: Library, exercise_id: str) -> Exercise:
    exercise = library.exercise(exercise_id)
    assert exercise is not None, exercise_id
    return exercise


# --- the real content ---------------------------------------------------------------------------


def test_all_six_exercises_are_present(library: Library) -> None:
    assert {e.id for e in library.exercises} == EXERCISE_IDS
    assert all(e.source.article == ARTICLE for e in library.exercises)


def test_exercises_are_in_file_name_order(library: Library) -> None:
    ids = [e.id for e in library.exercises]
    assert ids == sorted(ids)


def test_seated_lumbar_stretch_is_faithful(library: Library) -> None:
    exercise = get(library, "seated-lumbar-stretch")
    assert exercise.hold_seconds == 10
    assert (exercise.repetitions.min, exercise.repetitions.max) == (3, 5)
    assert exercise.repetitions.per_side
    assert exercise.frequency == "twice a day"
    assert exercise.place == "office"
    assert exercise.position == "seated"
    assert exercise.equipment == ["chair"]
    assert "Mayo" in exercise.source.credit
    assert exercise.steps[1] == "Cross your right leg over your left."
    assert exercise.repetitions_text == f"3{DASH}5 times on each side"
    assert exercise.hold_text == "Hold 10 seconds"
    assert exercise.equipment_text == "Needs a chair"


def test_scapular_retraction_is_faithful(library: Library) -> None:
    exercise = get(library, "scapular-retraction")
    assert exercise.hold_seconds == 5
    assert exercise.repetitions_text == f"3{DASH}5 times"
    assert exercise.frequency == "twice a day"
    assert "rhomboid muscles" in exercise.muscles
    assert "Mayo" in exercise.source.credit


def test_prone_body_lift_is_faithful(library: Library) -> None:
    exercise = get(library, "prone-body-lift")
    assert exercise.repetitions_text == "10 times"
    assert exercise.hold_seconds is None
    assert exercise.hold_text is None
    assert (exercise.place, exercise.position, exercise.equipment) == ("home", "floor", ["mat"])
    assert exercise.equipment_text == "Needs a mat"
    assert "Jennifer Fraboni" in exercise.source.credit
    assert any("hands do most of the work" in m for m in exercise.common_mistakes)


def test_home_exercises_credit_jennifer_fraboni(library: Library) -> None:
    home = library.by_place("home")
    assert {e.id for e in home} == {
        "prone-body-lift",
        "lying-shoulder-blade-retraction",
        "torso-rotations-on-all-fours",
        "standing-hamstring-stretch",
    }
    assert all("Jennifer Fraboni" in e.source.credit for e in home)
    assert all("Mayo" in e.source.credit for e in library.by_place("office"))


def test_torso_rotations_and_hamstring_stretch_are_faithful(library: Library) -> None:
    torso = get(library, "torso-rotations-on-all-fours")
    assert torso.position == "floor"
    assert torso.repetitions_text == "5 times on each side"
    assert any("wrists hurt" in c for c in torso.cautions)
    hamstring = get(library, "standing-hamstring-stretch")
    assert (hamstring.place, hamstring.position, hamstring.equipment) == ("home", "standing", [])
    assert hamstring.equipment_text == "No equipment needed"
    assert hamstring.repetitions_text == f"5{DASH}10 times"
    assert any("Rounding your lower back" in m for m in hamstring.common_mistakes)


def test_steps_are_not_numbered(library: Library) -> None:
    for exercise in library.exercises:
        assert all(not step[0].isdigit() for step in exercise.steps), exercise.id


def test_tips(library: Library) -> None:
    assert {"move-more", "posture", "massage"} <= {t.id for t in library.tips}
    massage = library.tip("massage")
    assert massage is not None
    assert not massage.movement_break
    assert any("doctor" in c for c in massage.cautions)
    posture = library.tip("posture")
    assert posture is not None
    assert len(posture.points) == 6
    breaks = {t.id for t in library.movement_breaks}
    assert {"stand-up-and-walk", "posture-check"} <= breaks
    assert "massage" not in breaks


def test_unknown_ids_give_none(library: Library) -> None:
    assert library.exercise("nope") is None
    assert library.tip("nope") is None


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected_first"),
    [
        ("hamstring", "standing-hamstring-stretch"),
        ("Hamstrings", "standing-hamstring-stretch"),
        ("lower back", "prone-body-lift"),
        ("shoulders", "lying-shoulder-blade-retraction"),
        ("shoulder blades", "lying-shoulder-blade-retraction"),
        ("rhomboid", "scapular-retraction"),
        ("RHOMBOIDS", "scapular-retraction"),
        ("neck", "lying-shoulder-blade-retraction"),
        ("seated", "seated-lumbar-stretch"),
    ],
)
def test_search_finds_best_match_first(library: Library, words: str, expected_first: str) -> None:
    assert library.search(words)[0].id == expected_first


def test_search_lower_back_only_returns_lower_back_exercises(library: Library) -> None:
    assert [e.id for e in library.search("lower back")] == [
        "prone-body-lift",
        "seated-lumbar-stretch",
        "standing-hamstring-stretch",
    ]


def test_search_ties_keep_file_order(library: Library) -> None:
    assert [e.id for e in library.search("mat")] == [
        "lying-shoulder-blade-retraction",
        "prone-body-lift",
        "torso-rotations-on-all-fours",
    ]


@pytest.mark.parametrize("words", ["blorp", "", "   ", "the", "!!!"])
def test_search_without_match_is_empty(library: Library, words: str) -> None:
    assert library.search(words) == []


# --- the loader's error reports -----------------------------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_library(root)
    assert str(caught.value).splitlines() == list(caught.value.problems)
    return list(caught.value.problems)


def test_copy_loads(content: Path) -> None:
    assert len(load_library(content).exercises) == 6


def test_unknown_key(content: Path) -> None:
    edit(content / "exercises/prone-body-lift.yaml", "minutes: 3", "minutes: 3\nrepeats: 10")
    assert problems(content) == ["exercises/prone-body-lift.yaml: repeats: unknown field"]


def test_missing_field(content: Path) -> None:
    edit(content / "tips/massage.yaml", 'title: "Try a massage"\n', "")
    assert problems(content) == ["tips/massage.yaml: title: required field is missing"]


def test_empty_steps(content: Path) -> None:
    path = content / "exercises/prone-body-lift.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("steps:"), text.index("hold_seconds:")
    path.write_text(text[:start] + "steps: []\n" + text[end:], encoding="utf-8")
    [problem] = problems(content)
    assert problem.startswith("exercises/prone-body-lift.yaml: steps: List should have at least 1")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("hold_seconds: 10", 'hold_seconds: "10"', "hold_seconds"),
        ("hold_seconds: 10", "hold_seconds: 1:30", "hold_seconds"),
        ("hold_seconds: 10", "hold_seconds: 0", "hold_seconds"),
        ("per_side: true", "per_side: no", "repetitions.per_side"),
        ("max: 5", "max: 2", "repetitions"),
        ("minutes: 2", "minutes: 20", "minutes"),
        ('place: "office"', 'place: "gym"', "place"),
        ('- "chair"', '- "ball"', "equipment #1"),
        ('body_areas:\n  - "lower back"', 'body_areas:\n  - "Lower Back"', "body_areas #1"),
        ('- "Sit on a chair or stool."', '- "1. Sit on a chair."', "steps #1"),
        ('credit: "Mayo specialists"', "credit: 42", "source.credit"),
        ('title: "Seated lumbar stretch"', 'title: "   "', "title"),
    ],
)
def test_wrong_value_names_file_and_field(content: Path, old: str, new: str, field: str) -> None:
    edit(content / "exercises/seated-lumbar-stretch.yaml", old, new)
    [problem] = problems(content)
    assert problem.startswith(f"exercises/seated-lumbar-stretch.yaml: {field}: ")
    assert "pydantic" not in problem


def test_id_must_equal_file_name(content: Path) -> None:
    (content / "exercises/prone-body-lift.yaml").rename(content / "exercises/back-lift.yaml")
    assert problems(content) == [
        "exercises/back-lift.yaml: id: 'prone-body-lift' must equal the file name 'back-lift'"
    ]


def test_duplicate_id(content: Path) -> None:
    shutil.copy(content / "exercises/prone-body-lift.yaml", content / "exercises/zz-copy.yaml")
    assert problems(content) == [
        "exercises/zz-copy.yaml: id: 'prone-body-lift' must equal the file name 'zz-copy'",
        "exercises/zz-copy.yaml: id: 'prone-body-lift' is already used by "
        "exercises/prone-body-lift.yaml",
    ]


def test_id_shared_by_exercise_and_tip(content: Path) -> None:
    text = (content / "tips/posture.yaml").read_text(encoding="utf-8")
    (content / "tips/prone-body-lift.yaml").write_text(
        text.replace('id: "posture"', 'id: "prone-body-lift"'), encoding="utf-8"
    )
    assert problems(content) == [
        "tips/prone-body-lift.yaml: id: 'prone-body-lift' is already used by "
        "exercises/prone-body-lift.yaml"
    ]


def test_invalid_yaml(content: Path) -> None:
    (content / "exercises/broken.yaml").write_text('id: "broken"\ntitle: [unclosed\n')
    [problem] = problems(content)
    assert problem.startswith("exercises/broken.yaml: invalid YAML: ")
    assert "line " in problem


def test_duplicate_yaml_key(content: Path) -> None:
    edit(content / "exercises/prone-body-lift.yaml", "minutes: 3", "minutes: 3\nminutes: 4")
    [problem] = problems(content)
    assert problem.startswith("exercises/prone-body-lift.yaml: invalid YAML: found duplicate key")


@pytest.mark.parametrize(("text", "got"), [("- 1\n- 2\n", "a list"), ("", "an empty file")])
def test_file_must_be_a_mapping(content: Path, text: str, got: str) -> None:
    (content / "tips/odd.yaml").write_text(text)
    assert problems(content) == [f"tips/odd.yaml: expected a mapping of fields, got {got}"]


def test_yml_extension_is_reported(content: Path) -> None:
    (content / "tips/posture.yaml").rename(content / "tips/posture.yml")
    assert problems(content) == ["tips/posture.yml: not read: content files must end in .yaml"]


def test_no_exercises(tmp_path: Path) -> None:
    assert problems(tmp_path) == ["exercises/: no exercise files found"]


def test_all_problems_are_reported_together(content: Path) -> None:
    edit(content / "exercises/prone-body-lift.yaml", "minutes: 3", "minutes: 3\nfoo: 1")
    edit(content / "tips/massage.yaml", "movement_break: false", "movement_break: no")
    assert problems(content) == [
        "exercises/prone-body-lift.yaml: foo: unknown field",
        "tips/massage.yaml: movement_break: Input should be a valid boolean (got 'no')",
    ]


def test_new_file_is_picked_up(content: Path) -> None:
    text = (content / "exercises/scapular-retraction.yaml").read_text(encoding="utf-8")
    new = text.replace('id: "scapular-retraction"', 'id: "shoulder-shrug"').replace(
        'title: "Scapular retraction"', 'title: "Shoulder shrug"'
    )
    (content / "exercises/shoulder-shrug.yaml").write_text(new, encoding="utf-8")
    library = load_library(content)
    assert len(library.exercises) == 7
    assert get(library, "shoulder-shrug").title == "Shoulder shrug"
    assert library.search("shrug")[0].id == "shoulder-shrug"
