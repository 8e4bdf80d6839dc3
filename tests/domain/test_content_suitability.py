"""The content's suitability fields — position, space, equipment, loads, cautions on the floor —
as tagged from the article and as validated (file and field named, via `content check` too)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.domain.content import DEFAULT_CONTENT_DIR, ContentError, Library, load_library

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_library(root)
    return list(caught.value.problems)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("exercise_id", "position", "space", "equipment", "loads"),
    [
        ("seated-lumbar-stretch", "seated", "seat", ["chair"], ["lower back"]),
        ("scapular-retraction", "seated", "seat", ["chair"], ["shoulders"]),
        ("prone-body-lift", "floor", "floor space", ["mat"], ["wrists", "lower back"]),
        ("lying-shoulder-blade-retraction", "floor", "floor space", ["mat"], ["shoulders", "neck"]),
        (
            "torso-rotations-on-all-fours",
            "floor",
            "floor space",
            ["mat"],
            ["wrists", "knees", "shoulders"],
        ),
        ("standing-hamstring-stretch", "standing", "standing room", [], ["knees", "lower back"]),
    ],
)
def test_seed_exercises_are_tagged_from_the_article(
    library: Library, exercise_id, position, space, equipment, loads
) -> None:
    exercise = library.exercise(exercise_id)
    assert exercise is not None
    assert (exercise.position, exercise.space, exercise.equipment, exercise.loads) == (
        position,
        space,
        equipment,
        loads,
    )


def test_every_floor_exercise_carries_a_caution(library: Library) -> None:
    floor = [e for e in library.exercises if e.position == "floor"]
    assert len(floor) == 3
    assert all(e.cautions for e in floor)
    lift = library.exercise("prone-body-lift")
    assert lift is not None
    # The article: "your hands do not do most of the work — distribute the load equally".
    assert any("distribute the load equally" in c for c in lift.cautions)


def test_movement_breaks_state_how_they_are_done(library: Library) -> None:
    walk, check = library.tip("stand-up-and-walk"), library.tip("posture-check")
    assert walk is not None and check is not None
    assert (walk.position, walk.space, walk.loads) == ("standing", "a short walk", [])
    assert (check.position, check.space) == ("seated", "seat")
    assert any(t.position == "seated" for t in library.movement_breaks)


@pytest.mark.parametrize(
    ("path", "old", "new", "field"),
    [
        (
            "exercises/seated-lumbar-stretch.yaml",
            'position: "seated"',
            'position: "lying"',
            "position",
        ),
        ("exercises/seated-lumbar-stretch.yaml", 'space: "seat"', 'space: "gym"', "space"),
        (
            "exercises/seated-lumbar-stretch.yaml",
            '  - "lower back"\nsteps',
            '  - "ankles"\nsteps',
            "loads #1",
        ),
        (
            "exercises/seated-lumbar-stretch.yaml",
            'loads:\n  - "lower back"\n',
            "loads: wrists\n",
            "loads",
        ),
        ("tips/posture-check.yaml", 'position: "seated"\n', "", "position"),
        ("tips/posture-check.yaml", "equipment: []\n", "", "equipment"),
        ("tips/posture-check.yaml", "loads: []\n", "", "loads"),
    ],
)
def test_wrong_suitability_names_file_and_field(
    content: Path, path: str, old: str, new: str, field: str
) -> None:
    edit(content / path, old, new)
    [problem] = problems(content)
    assert problem.startswith(f"{path}: {field}: "), problem


def test_floor_without_a_caution_is_refused(content: Path) -> None:
    path = content / "exercises/prone-body-lift.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("cautions:"), text.index("common_mistakes:")
    path.write_text(text[:start] + "cautions: []\n" + text[end:], encoding="utf-8")
    [problem] = problems(content)
    assert problem.startswith(
        "exercises/prone-body-lift.yaml: cautions: anything done on the floor must carry at "
        "least one caution"
    )


def test_content_check_names_a_missing_position(content: Path) -> None:
    edit(content / "tips/change-position.yaml", 'position: "seated"\n', "")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check", "--dir", str(content)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 1
    assert "tips/change-position.yaml: position: required field is missing" in result.stderr
    assert "Traceback" not in result.stderr
