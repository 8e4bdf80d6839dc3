"""Exercise and tip content: models, a validating YAML loader, and search.

Content lives under ``content/``: one YAML file per exercise in ``exercises/`` and one per tip in
``tips/``, each named after its ``id``. Adding an exercise means adding one file and nothing else.

The loader parses YAML 1.2 (so ``no`` stays a string and ``1:30`` is not read as sexagesimal 90) and
validates strictly: unknown keys are errors and values are never coerced (``"10"`` is not an
integer, ``"no"`` is not a boolean). Every problem in every file is collected and raised together as
one ``ContentError``, one line per problem: ``exercises/prone-body-lift.yaml: steps: ...``.

Every exercise and tip also states its `Suitability` — position, space, equipment, loads, and
cautions (required on the floor) — from which `bot.domain.fit` decides whom it suits.

Next to the English text, ``translations`` gives the same prose (title, why, steps …) in each
language the app speaks; the tag fields (place, position, space, equipment, loads) stay English,
as the app compares them. `localized` gives an item's prose in the language being spoken, field
by field falling back to English, and `translation_problems` is what ``content check`` finds
missing, extra or untranslated.
"""

import re
import unicodedata
from collections import OrderedDict
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

from bot.domain.i18n import (
    ENGLISH,
    LANGUAGES,
    N_,
    _,
    current_language,
    ngettext,
    placeholders,
)

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"

Place = Literal["office", "home"]
Position = Literal["seated", "standing", "floor"]
# Room an activity takes: a seat where you are, room to stand beside it, a mat's worth of floor,
# or a short walk away from the desk.
Space = Literal["seat", "standing room", "floor space", "a short walk"]
Equipment = Literal["chair", "mat"]
# What bears weight or strain, for people who must spare it ("avoid wrist load").
Load = Literal["wrists", "knees", "shoulders", "neck", "lower back"]

# What an exercise needs, by its equipment as listed: whole sentences, for translators.
_NEEDS: dict[tuple[str, ...], str] = {
    (): N_("No equipment needed"),
    ("chair",): N_("Needs a chair"),
    ("mat",): N_("Needs a mat"),
    ("chair", "mat"): N_("Needs a chair and a mat"),
    ("mat", "chair"): N_("Needs a mat and a chair"),
}


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
        """E.g. "10 times", "once", "3–5 times" (the range with an en dash), sides left out."""
        if self.min != self.max:
            return _("{min}–{max} times", min=self.min, max=self.max)
        return _("once") if self.min == 1 else ngettext("{n} time", "{n} times", self.min)

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


# --- translations -------------------------------------------------------------------------------

# The languages a content file translates into: every language the app speaks but English.
TRANSLATED_LANGUAGES = tuple(language for language in LANGUAGES if language != ENGLISH)


class _Prose(BaseModel):
    """The free text of an item in one language. A field left out falls back to English when
    shown (and is an error for ``content check``)."""

    model_config = _CONFIG

    title: Text | None = None
    cautions: list[Text] | None = None
    credit: Text | None = None  # the source's credit; the article's title stays as written


class ExerciseProse(_Prose):
    why: Text | None = None
    muscles: list[Text] | None = None
    body_areas: list[Text] | None = None
    steps: list[Step] | None = None
    frequency: Text | None = None
    common_mistakes: list[Text] | None = None


class TipProse(_Prose):
    summary: Text | None = None
    points: list[Text] | None = None


def _known_languages(translations: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(translations) - set(TRANSLATED_LANGUAGES))
    if unknown:
        known = ", ".join(TRANSLATED_LANGUAGES)
        raise ValueError(f"unknown language {', '.join(map(repr, unknown))} (known: {known})")
    return translations


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
    translations: Annotated[dict[str, ExerciseProse], AfterValidator(_known_languages)] = Field(
        default_factory=dict
    )

    @property
    def repetitions_text(self) -> str:
        """E.g. "10 times", "once", "3-5 times on each side" (the range with an en dash)."""
        count = self.repetitions.count_text
        return _("{count} on each side", count=count) if self.repetitions.per_side else count

    @property
    def hold_text(self) -> str | None:
        """E.g. "Hold 10 seconds", or None when the exercise has no hold."""
        if self.hold_seconds is None:
            return None
        return ngettext("Hold {n} second", "Hold {n} seconds", self.hold_seconds)

    @property
    def equipment_text(self) -> str:
        """E.g. "Needs a chair", "Needs a chair and a mat", "No equipment needed"."""
        return _(_NEEDS[tuple(dict.fromkeys(self.equipment))])


class Tip(Suitability):
    """Advice from the article; ``movement_break`` tips can replace an exercise as a short nudge."""

    id: Id
    title: Text
    summary: Text
    points: list[Text] = Field(min_length=1)
    movement_break: bool
    source: Source
    translations: Annotated[dict[str, TipProse], AfterValidator(_known_languages)] = Field(
        default_factory=dict
    )


# What a card shows, a nudge sends and Done records: an exercise, or a tip as a movement break.
Activity = Exercise | Tip
_Item = TypeVar("_Item", bound=Exercise | Tip)

# Localized copies kept, by (id of the English item, language): 19 items in 5 languages today.
_LOCALIZED_KEPT = 512
_localized: OrderedDict[tuple[int, str], tuple[Any, Any]] = OrderedDict()


def localized(item: _Item, language: str | None = None) -> _Item:
    """``item`` with its prose in ``language`` (default: the language being spoken), each field
    missing from the translation in English. The same object for the same item and language,
    so that renderers caching on an item's identity (`ByIdentity`) render each language once.

    The copy carries no translations of its own (localizing it again returns it as is); the tag
    fields stay English. An item without a translation (English, a team's own exercise) is
    returned itself.
    """
    language = language or current_language()
    prose = item.translations.get(language)
    if prose is None:
        return item
    key = (id(item), language)
    kept = _localized.get(key)
    if kept is not None and kept[0] is item:  # the item is kept alive: its id is still its own
        _localized.move_to_end(key)
        return kept[1]
    copy = item.model_copy(update=_prose_update(item, prose))
    _localized[key] = (item, copy)
    if len(_localized) > _LOCALIZED_KEPT:
        _localized.popitem(last=False)
    return copy


def _prose_update(item: Exercise | Tip, prose: _Prose) -> dict[str, Any]:
    translated = {
        field: value
        for field, value in prose
        if field != "credit" and value is not None and getattr(item, field)
    }
    if prose.credit is not None:
        translated["source"] = item.source.model_copy(update={"credit": prose.credit})
    return {**translated, "translations": {}}


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
        """Exercises matching ``words`` in title, body areas, muscles (in English or any of their
        translations), equipment, position or place.

        Only exercises matching the most query words are kept (so "lower back" does not return
        upper-back exercises), ranked by a weighted score; ties keep file order.
        """
        query = _terms([words])
        scored = [(_match(_search_fields(e), query), e) for e in self.exercises]
        best = max((covered for (covered, _score), _e in scored), default=0)
        if best == 0:
            return []
        hits = [(score, exercise) for (covered, score), exercise in scored if covered == best]
        return [exercise for _score, exercise in sorted(hits, key=lambda hit: -hit[0])]


class ContentError(Exception):
    """Content is invalid. The message has one line per problem: ``<file>: <field>: <what>``."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


# --- checking translations ----------------------------------------------------------------------

# Text that is rightly the same in a language as in English, by language: proper names and words
# a language spells the same or borrows as it is. Anything else identical to the English is text
# left untranslated.
SAME_IN_TRANSLATION: dict[str, frozenset[str]] = {
    "es": frozenset({"core"}),
    "fr": frozenset({"posture"}),
}


def translation_problems(name: str, item: Exercise | Tip) -> list[str]:
    """What ``content check`` finds wrong in ``item``'s translations, one ``<file>:
    translations.<language>.<field>: <what>`` each: a missing language or field, a field English
    does not have, a different number of items than English, text left as the English, or
    `{placeholders}` that differ from the English ones."""
    problems = []
    prose_fields = list((ExerciseProse if isinstance(item, Exercise) else TipProse).model_fields)
    for language in TRANSLATED_LANGUAGES:
        prose = item.translations.get(language)
        if prose is None:
            problems.append(f"{name}: translations.{language}: missing language")
            continue
        for field in prose_fields:
            english = item.source.credit if field == "credit" else getattr(item, field)
            where = f"{name}: translations.{language}.{field}"
            same = SAME_IN_TRANSLATION.get(language, frozenset())
            found = _field_problems(english, getattr(prose, field), same)
            problems += [f"{where}{problem}" for problem in found]
    return problems


def _field_problems(
    english: str | list[str] | None, translated: str | list[str] | None, same: frozenset[str]
) -> list[str]:
    if not english:
        return [": English has no such text: leave it out"] if translated else []
    if translated is None:
        return [": missing (English: " + _shorten(repr(english)) + ")"]
    originals, texts = _items(english), _items(translated)
    if len(texts) != len(originals):
        return [f": {len(texts)} items, English has {len(originals)}"]
    numbered = isinstance(english, list)  # a list's items are named "steps #2"
    return [
        (f" #{number}" if numbered else "") + problem
        for number, (original, text) in enumerate(zip(originals, texts, strict=True), start=1)
        for problem in _text_problems(original, text, same)
    ]


def _items(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _text_problems(english: str, translated: str, same: frozenset[str]) -> list[str]:
    problems = []
    if translated == english and english not in same:
        problems.append(f": untranslated, the same as English ({_shorten(repr(english))})")
    if placeholders(translated) != placeholders(english):
        expected = ", ".join(sorted(placeholders(english))) or "none"
        problems.append(f": placeholders differ from English ({expected})")
    return problems


# --- search -------------------------------------------------------------------------------------

# Words that say nothing about which exercise is meant, in each language the app speaks.
_STOP_WORDS = frozenset(
    {"a", "an", "and", "at", "for", "in", "my", "of", "on", "or", "the", "to", "with"}
    | {"exercise", "stretch", "stretching"}
    | {"de", "del", "el", "la", "las", "los", "y", "en", "con", "para", "mi", "estiramiento"}
    | {"der", "die", "das", "den", "und", "mit", "fur", "im", "am", "dehnung", "ubung"}
    | {"du", "le", "les", "des", "et", "avec", "pour", "mon", "ma", "etirement", "exercice"}
    | {"do", "da", "dos", "das", "e", "em", "com", "meu", "minha", "alongamento", "exercicio"}
)

# Scripts written without spaces between words (kana, CJK ideographs, halfwidth katakana):
# a query word in them matches inside a field's text rather than word by word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


def _folded(text: str) -> str:
    """``text`` compared case- and accent-insensitively: "Rücken" as "rucken", "ÉTIREMENT" as
    "etirement". Japanese folds too (its voiced marks), the same way in the query and the text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
    words = (_stem(w) for text in texts for w in re.findall(r"\w+", _folded(text)))
    return list(dict.fromkeys(w for w in words if w not in _STOP_WORDS))


class _Field:
    """One searchable field of an exercise in every language: its words, and its text for the
    words of unspaced scripts."""

    def __init__(self, weight: int, texts: list[str]) -> None:
        self.weight = weight
        self.terms = set(_terms(texts))
        self.text = "\n".join(_folded(text) for text in texts)

    def has(self, term: str) -> bool:
        return term in self.text if _UNSPACED.search(term) else term in self.terms


def _search_fields(exercise: Exercise) -> list[_Field]:
    """Title, body areas and muscles in English and every translation; the tags in English."""
    versions = [exercise, *(localized(exercise, language) for language in exercise.translations)]
    return [
        _Field(3, [version.title for version in versions]),
        _Field(3, [area for version in versions for area in version.body_areas]),
        _Field(2, [muscle for version in versions for muscle in version.muscles]),
        _Field(2, list(exercise.equipment)),
        _Field(1, [exercise.position, exercise.place, *exercise.loads]),
    ]


def _match(fields: list[_Field], query: list[str]) -> tuple[int, int]:
    """(how many query terms the exercise matches, weighted score)."""
    weights = [[field.weight for field in fields if field.has(term)] for term in query]
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
        exercises=tuple(item for _name, item in exercises),
        tips=tuple(item for _name, item in tips),
    )


def check_content(root: Path = DEFAULT_CONTENT_DIR) -> Library:
    """`load_library`, and every translation complete and faithful to the English
    (`translation_problems`): what ``python -m bot content check`` runs. A gap in a translation
    does not stop the app, which shows English in its place; it fails the check.

    Raises ContentError listing every problem found.
    """
    library = load_library(root)  # a file's name is its id: "exercises/<id>.yaml"
    problems = [
        problem
        for kind, items in (("exercises", library.exercises), ("tips", library.tips))
        for item in items
        for problem in translation_problems(f"{kind}/{item.id}.yaml", item)
    ]
    if problems:
        raise ContentError(problems)
    return library


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
    one ``field: message`` each, named as ``content check`` names them. A team's exercise is
    shown as its people wrote it, in every language: translations in the mapping are left out
    (they would go stale at the first edit)."""
    if not isinstance(data, dict):
        got = "nothing" if data is None else f"a {type(data).__name__}"
        return [f"(entry): expected a mapping of fields, got {got}"]
    try:
        return Exercise.model_validate({**data, "translations": {}})
    except ValidationError as error:
        return [_describe(detail) for detail in error.errors()]


def read_yaml_documents(text: str) -> list[Any] | str:
    """Every document of a YAML 1.2 stream (``---`` between them), or why it cannot be read."""
    try:
        return list(YAML(typ="safe", pure=True).load_all(text))
    except YAMLError as error:
        return f"invalid YAML: {_describe_yaml_error(error)}"
