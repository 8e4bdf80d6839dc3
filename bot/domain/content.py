"""Exercise and tip content: models, a validating YAML loader, and search.

Content lives under ``content/``: one YAML file per exercise in ``exercises/`` and one per tip in
``tips/``, each named after its ``id``. Adding an exercise means adding one file and nothing else.

The loader parses YAML 1.2 (so ``no`` stays a string and ``1:30`` is not read as sexagesimal 90) and
validates strictly: unknown keys are errors and values are never coerced (``"10"`` is not an
integer, ``"no"`` is not a boolean). Every problem in every file is collected and raised together as
one ``ContentError``, one line per problem: ``exercises/prone-body-lift.yaml: steps: ...``.

Every exercise and tip also states its `Suitability` — position, space, equipment, loads, and
cautions (required on the floor) — from which `bot.domain.fit` decides whom it suits.
"""

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, Self, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"

Place = Literal["office", "home"]
Position = Literal["seated", "standing", "floor"]
# Room an activity takes: a seat where you are, room to stand beside it, a mat's worth of floor,
# or a short walk away from the desk.
Space = Literal["seat", "standing room", "floor space", "a short walk"]
Equipment = Literal["chair", "mat"]
# What bears weight or strain, for people who must spare it ("avoid wrist load").
Load = Literal["wrists", "knees", "shoulders", "neck", "lower back"]

_EN_DASH = "\N{EN DASH}"


def _kebab_case(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        raise ValueError("should be kebab-case, e.g. 'seated-lumbar-stretch'")
    return value


def _lowercase_words(value: str) -> str:
    if not re.fullmatch(r"[a-z]+(?: [a-z]+)*", value):
        raise ValueError("should be lowercase words, e.g. 'lower back'")
    return value


def _unnumbered(value: str) -> str:
    if re.match(r"\d+\s*[.)]", value):
        raise ValueError("do not number steps: they are numbered when shown")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, AfterValidator(_kebab_case)]
BodyArea = Annotated[str, AfterValidator(_lowercase_words)]
Step = Annotated[Text, AfterValidator(_unnumbered)]

# strict: YAML values are taken as written, never coerced ("10" is not 10, "no" is not False).
_CONFIG = ConfigDict(extra="forbid", frozen=True, strict=True)


class Source(BaseModel):
    """Who recommends the exercise, and the article it comes from."""

    model_config = _CONFIG

    credit: Text
    article: Text


class Repetitions(BaseModel):
    """How many times to do an exercise: a range, possibly on each side."""

    model_config = _CONFIG

    min: int = Field(ge=1)
    max: int = Field(ge=1)
    per_side: bool

    @property
    def count_text(self) -> str:
        """E.g. "10 times", "once", "3-5 times" (the range with an en dash), sides left out."""
        if self.min != self.max:
            return f"{self.min}{_EN_DASH}{self.max} times"
        return "once" if self.min == 1 else f"{self.min} times"

    @model_validator(mode="after")
    def _max_not_below_min(self) -> Self:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) must not be less than min ({self.min})")
        return self


class Suitability(BaseModel):
    """What doing an exercise or tip asks of the body and the room — every file states all of
    it, so the picker can leave out what a person ruled out (see `bot.domain.fit`). Anything
    done on the floor carries a caution."""

    model_config = _CONFIG

    position: Position
    space: Space
    equipment: list[Equipment] = Field(max_length=len(get_args(Equipment)))
    loads: list[Load] = Field(max_length=len(get_args(Load)))
    cautions: list[Text] = Field(default_factory=list, validate_default=True)

    @field_validator("cautions")
    @classmethod
    def _floor_needs_a_caution(cls, cautions: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("position") == "floor" and not cautions:
            raise ValueError("anything done on the floor must carry at least one caution")
        return cautions


class Exercise(Suitability):
    """One stretching exercise, as written in ``content/exercises/<id>.yaml``."""

    id: Id
    title: Text
    why: Text
    muscles: list[Text] = Field(min_length=1)
    body_areas: list[BodyArea] = Field(min_length=1)
    place: Place
    steps: list[Step] = Field(min_length=1)
    hold_seconds: int | None = Field(default=None, gt=0)
    repetitions: Repetitions
    frequency: Text | None = None
    common_mistakes: list[Text] = Field(default_factory=list)
    source: Source
    minutes: int = Field(ge=1, le=15)

    @property
    def repetitions_text(self) -> str:
        """E.g. "10 times", "once", "3-5 times on each side" (the range with an en dash)."""
        count = self.repetitions.count_text
        return f"{count} on each side" if self.repetitions.per_side else count

    @property
    def hold_text(self) -> str | None:
        """E.g. "Hold 10 seconds", or None when the exercise has no hold."""
        if self.hold_seconds is None:
            return None
        unit = "second" if self.hold_seconds == 1 else "seconds"
        return f"Hold {self.hold_seconds} {unit}"

    @property
    def equipment_text(self) -> str:
        """E.g. "Needs a chair", "Needs a chair and a mat", "No equipment needed"."""
        if not self.equipment:
            return "No equipment needed"
        return "Needs " + " and ".join(f"a {item}" for item in self.equipment)


class Tip(Suitability):
    """Advice from the article; ``movement_break`` tips can replace an exercise as a short nudge."""

    id: Id
    title: Text
    summary: Text
    points: list[Text] = Field(min_length=1)
    movement_break: bool
    source: Source


# What a card shows, a nudge sends and Done records: an exercise, or a tip as a movement break.
Activity = Exercise | Tip


class Library(BaseModel):
    """All loaded content, in file-name order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    exercises: tuple[Exercise, ...]
    tips: tuple[Tip, ...] = ()

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)

    def tip(self, tip_id: str) -> Tip | None:
        return next((t for t in self.tips if t.id == tip_id), None)

    def by_place(self, place: Place) -> list[Exercise]:
        return [e for e in self.exercises if e.place == place]

    @property
    def movement_breaks(self) -> list[Tip]:
        return [t for t in self.tips if t.movement_break]

    def search(self, words: str) -> list[Exercise]:
        """Exercises matching ``words`` in title, body areas, muscles, equipment, position or place.

        Only exercises matching the most query words are kept (so "lower back" does not return
        upper-back exercises), ranked by a weighted score; ties keep file order.
        """
        query = _terms([words])
        scored = [(_match(exercise, query), exercise) for exercise in self.exercises]
        best = max((covered for (covered, _), _ in scored), default=0)
        if best == 0:
            return []
        hits = [(score, exercise) for (covered, score), exercise in scored if covered == best]
        return [exercise for _, exercise in sorted(hits, key=lambda hit: -hit[0])]


class ContentError(Exception):
    """Content is invalid. The message has one line per problem: ``<file>: <field>: <what>``."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


# --- search -------------------------------------------------------------------------------------

_STOP_WORDS = frozenset(
    {"a", "an", "and", "at", "for", "in", "my", "of", "on", "or", "the", "to", "with"}
    | {"exercise", "stretch", "stretching"}
)


def _stem(word: str) -> str:
    """Crude singular form, so that "hamstrings" finds "hamstring" and "stretches" "stretch"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _terms(texts: Iterable[str]) -> list[str]:
    """Distinct search terms of ``texts``, in order, without stop words."""
    words = (_stem(w) for text in texts for w in re.findall(r"[a-z0-9]+", text.lower()))
    return list(dict.fromkeys(w for w in words if w not in _STOP_WORDS))


def _match(exercise: Exercise, query: list[str]) -> tuple[int, int]:
    """(how many query terms the exercise matches, weighted score)."""
    fields = [
        (3, set(_terms([exercise.title]))),
        (3, set(_terms(exercise.body_areas))),
        (2, set(_terms(exercise.muscles))),
        (2, set(_terms(exercise.equipment))),
        (1, set(_terms([exercise.position, exercise.place, *exercise.loads]))),
    ]
    weights = [[weight for weight, terms in fields if term in terms] for term in query]
    return sum(1 for w in weights if w), sum(sum(w) for w in weights)


# --- loading ------------------------------------------------------------------------------------

_Model = TypeVar("_Model", Exercise, Tip)


def load_library(root: Path = DEFAULT_CONTENT_DIR) -> Library:
    """Load and validate every ``exercises/*.yaml`` and ``tips/*.yaml`` under ``root``.

    Raises ContentError listing every problem found.
    """
    problems: list[str] = []
    exercises = _load_kind(root, "exercises", Exercise, problems)
    tips = _load_kind(root, "tips", Tip, problems)
    if not any((root / "exercises").glob("*.yaml")):
        problems.append("exercises/: no exercise files found")
    problems += _duplicate_ids([*exercises, *tips])
    if problems:
        raise ContentError(problems)
    return Library(
        exercises=tuple(item for _, item in exercises), tips=tuple(item for _, item in tips)
    )


def _load_kind(
    root: Path, kind: str, model: type[_Model], problems: list[str]
) -> list[tuple[str, _Model]]:
    """Validated items of one content directory, each with its file name relative to ``root``."""
    loaded = []
    for path in sorted((root / kind).glob("*.y*ml")):
        name = path.relative_to(root).as_posix()
        if path.suffix != ".yaml":
            problems.append(f"{name}: not read: content files must end in .yaml")
            continue
        data = _read_mapping(path, name, problems)
        if data is None:
            continue
        if "id" in data and data["id"] != path.stem:
            problems.append(f"{name}: id: {data['id']!r} must equal the file name {path.stem!r}")
        try:
            loaded.append((name, model.model_validate(data)))
        except ValidationError as error:
            problems += [f"{name}: {_describe(detail)}" for detail in error.errors()]
    return loaded


def _read_mapping(path: Path, name: str, problems: list[str]) -> dict[str, Any] | None:
    """The YAML mapping in ``path``, or None after recording why it could not be read."""
    try:
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{name}: cannot read file: {error}")
        return None
    except YAMLError as error:
        problems.append(f"{name}: invalid YAML: {_describe_yaml_error(error)}")
        return None
    if not isinstance(data, dict):
        got = "an empty file" if data is None else f"a {type(data).__name__}"
        problems.append(f"{name}: expected a mapping of fields, got {got}")
        return None
    return data


def _duplicate_ids(items: list[tuple[str, Exercise | Tip]]) -> list[str]:
    """Ids are unique across exercises and tips, so an id alone names one piece of content."""
    first_seen: dict[str, str] = {}
    problems = []
    for name, item in items:
        if item.id in first_seen:
            problems.append(f"{name}: id: {item.id!r} is already used by {first_seen[item.id]}")
        else:
            first_seen[item.id] = name
    return problems


def _describe(detail: ErrorDetails) -> str:
    """One pydantic error as ``field: message``, e.g. ``steps #2: do not number steps``."""
    field = "".join(
        f" #{part + 1}" if isinstance(part, int) else f".{part}" for part in detail["loc"]
    ).lstrip(".")
    if detail["type"] == "missing":
        message = "required field is missing"
    elif detail["type"] == "extra_forbidden":
        message = "unknown field"
    else:
        message = detail["msg"].removeprefix("Value error, ")
        if isinstance(detail["input"], str | int | float | bool | None):
            message += f" (got {_shorten(repr(detail['input']))})"
    return f"{field or '(file)'}: {message}"


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe_yaml_error(error: YAMLError) -> str:
    if isinstance(error, MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        return f"{error.problem} (line {mark.line + 1}, column {mark.column + 1})"
    return str(error).splitlines()[0]


# --- one exercise at a time (the team library: a Slack form, an imported YAML file) -------------


def validate_exercise(data: object) -> Exercise | list[str]:
    """An exercise from a mapping written as in ``content/exercises/*.yaml``, or its problems,
    one ``field: message`` each, named as ``content check`` names them."""
    if not isinstance(data, dict):
        got = "nothing" if data is None else f"a {type(data).__name__}"
        return [f"(entry): expected a mapping of fields, got {got}"]
    try:
        return Exercise.model_validate(data)
    except ValidationError as error:
        return [_describe(detail) for detail in error.errors()]


def read_yaml_documents(text: str) -> list[Any] | str:
    """Every document of a YAML 1.2 stream (``---`` between them), or why it cannot be read."""
    try:
        return list(YAML(typ="safe", pure=True).load_all(text))
    except YAMLError as error:
        return f"invalid YAML: {_describe_yaml_error(error)}"
