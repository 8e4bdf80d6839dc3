"""A workspace's own exercises: the rules shared by the Slack form and YAML import.

A team exercise is an `Exercise` like those of ``content/``, validated by the same model
(`validate_exercise`), plus what a card can show: Slack's Block Kit limits (a header of 150
characters, sections of 3000) are checked here too, so an exercise that saves always renders.
The exported file is the format of ``content/``: one document per exercise, ``---`` between them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from ruamel.yaml import YAML

from bot.domain.content import Exercise, Library, Source, read_yaml_documents, validate_exercise
from bot.domain.i18n import N_, _

# Completion.exercise_id is 64 characters; room is left for a "-2" suffix on a taken id.
ID_LENGTH = 64
HEADER_LENGTH = 150
SECTION_LENGTH = 3000
# Within a section: "*Why:* ", "*How to do it:*\n" and the step numbers take some of the 3000.
WHY_LENGTH = 2900
STEPS_LENGTH = 2800
CAUTIONS_LENGTH = 2900
# Stored in an exercise's `source` (and compared) in English; translated with `_` where shown.
PHYSIO_CREDIT = N_("From your physio")
TEAM_CREDIT = N_("Your team")
ADDED_IN_SLACK = N_("Added in Slack to the team library")
_MARKUP = re.compile(r"[<>]")


@dataclass(frozen=True)
class TeamExercise:
    """One of a workspace's own exercises as stored: the exercise as written (its `source` as
    the author or the imported file gave it), who added it (None once they left) and whether it
    is hidden."""

    exercise: Exercise
    author: str | None
    from_physio: bool
    hidden: bool = False

    @property
    def credit(self) -> str:
        """What the card says about where the exercise comes from."""
        if self.author is None:
            if self.from_physio:
                return _("From your physio · added by a former member")
            return _("Added by a former member")
        added_by = f"<@{self.author}>"
        if self.from_physio:
            return _("From your physio · added by {person}", person=added_by)
        return _("Added by {person}", person=added_by)

    def as_shown(self) -> Exercise:
        """The exercise with its credit, as cards, lists and nudges show it."""
        source = Source(credit=self.credit, article=self.exercise.source.article)
        return self.exercise.model_copy(update={"source": source})


class Refusal(Enum):
    """Why a library request was not carried out; the listener words the answer."""

    NOT_ADMIN = "not_admin"  # only the workspace's admins may do this
    ADDING_CLOSED = "adding_closed"  # only admins may add, unless an admin opens it to everyone
    NOT_YOURS = "not_yours"  # only its author or an admin may change this exercise
    UNKNOWN = "unknown"  # no such exercise in this workspace


@dataclass(frozen=True)
class Entry:
    """One row of the library view: the exercise as shown, and what the viewer may do with it."""

    exercise: Exercise
    team: bool
    hidden: bool
    may_edit: bool
    may_hide: bool


@dataclass(frozen=True)
class Overview:
    entries: list[Entry]
    may_add: bool
    admin: bool
    everyone_may_add: bool


def workspace_library(
    seed: Library, hidden_seed_ids: Collection[str], team: Iterable[TeamExercise]
) -> Library:
    """What one workspace sees: the seed without the exercises it hid, then its own shown ones."""
    shown_seed = [e for e in seed.exercises if e.id not in hidden_seed_ids]
    own = [t.as_shown() for t in team if not t.hidden]
    return Library(exercises=(*shown_seed, *own), tips=seed.tips)


def source_for(from_physio: bool) -> Source:
    """The `source` of an exercise added through the Slack form."""
    return Source(credit=PHYSIO_CREDIT if from_physio else TEAM_CREDIT, article=ADDED_IN_SLACK)


def is_physio_credit(source: Source) -> bool:
    """An imported exercise whose credit says it is from the team's physio keeps that credit."""
    return source.credit.strip().lower().startswith(PHYSIO_CREDIT.lower())


def card_limit_problems(exercise: Exercise) -> list[str]:
    """`field: message` for each part too long for the card Slack would show, and for text that
    Slack would read as markup: ``<!channel>`` in a step would ping a whole channel."""
    lengths = [
        ("title", len(exercise.title), HEADER_LENGTH),
        ("why", len(exercise.why), WHY_LENGTH),
        ("steps", sum(len(step) + 4 for step in exercise.steps), STEPS_LENGTH),
        ("cautions", sum(len(c) + 1 for c in exercise.cautions), CAUTIONS_LENGTH),
        ("muscles", sum(len(m) + 2 for m in exercise.muscles), SECTION_LENGTH // 2),
        ("id", len(exercise.id), ID_LENGTH),
    ]
    too_long = [
        _(
            "{field}: at most {limit} characters in all (got {length})",
            field=field,
            limit=limit,
            length=length,
        )
        for field, length, limit in lengths
        if length > limit
    ]
    texts = {
        "title": [exercise.title],
        "why": [exercise.why],
        "steps": exercise.steps,
        "muscles": exercise.muscles,
        "cautions": exercise.cautions,
        "common_mistakes": exercise.common_mistakes,
        "frequency": [exercise.frequency or ""],
    }
    markup = [
        _("{field}: may not contain < or >", field=field)
        for field, values in texts.items()
        if any(_MARKUP.search(value) for value in values)
    ]
    return too_long + markup


def checked_exercise(data: object) -> Exercise | list[str]:
    """`validate_exercise`, then the card's limits."""
    checked = validate_exercise(data)
    if isinstance(checked, list):
        return checked
    return card_limit_problems(checked) or checked


def new_id(title: str, taken: Collection[str]) -> str:
    """A kebab-case id from the title, unique among `taken` (seed, tips and the team's own)."""
    base = "-".join(re.findall(r"[a-z0-9]+", title.lower()))[: ID_LENGTH - 4].strip("-")
    base = base or "exercise"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


# The order fields are written in ``content/exercises`` (the model lists the suitability fields,
# which it shares with tips, first).
CONTENT_FIELD_ORDER = (
    "id",
    "title",
    "why",
    "muscles",
    "body_areas",
    "place",
    "position",
    "space",
    "equipment",
    "loads",
    "steps",
    "hold_seconds",
    "repetitions",
    "frequency",
    "cautions",
    "common_mistakes",
    "source",
    "minutes",
)


def exercise_data(exercise: Exercise) -> dict[str, object]:
    """The exercise as a mapping in the field order of ``content/``, ready to store or export."""
    data = exercise.model_dump(mode="json", exclude={"translations"})  # a team's: as written
    rank = {field: place for place, field in enumerate(CONTENT_FIELD_ORDER)}
    return {field: data[field] for field in sorted(data, key=lambda f: rank.get(f, len(rank)))}


def export_yaml(exercises: Sequence[TeamExercise]) -> str:
    """The team's exercises as YAML documents in the format of ``content/exercises``."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # keep the field order of content/
    stream = io.StringIO()
    stream.write("# Stretch Break team library — one exercise per document; import it with\n")
    stream.write("# /stretch library import\n")
    yaml.dump_all([exercise_data(t.exercise) for t in exercises], stream)
    return stream.getvalue()


@dataclass(frozen=True)
class ImportedExercise:
    exercise: Exercise
    from_physio: bool


def parse_import(
    text: str, reserved_ids: Collection[str]
) -> tuple[list[ImportedExercise], list[str]]:
    """Every exercise of an import, and every problem, each named by entry and field:
    ``entry 2 (hamstring-stretch): steps #1: do not number steps``. `reserved_ids` are those of
    the seed's exercises and tips, which an import cannot replace."""
    documents = read_yaml_documents(text)
    if isinstance(documents, str):
        return [], [documents]
    if len(documents) == 1 and isinstance(documents[0], list):
        documents = documents[0]  # a list of exercises in one document reads the same
    entries = [d for d in documents if d is not None]
    if not entries:
        return [], [_("the file holds no exercises")]
    problems: list[str] = []
    imported: list[ImportedExercise] = []
    seen: set[str] = set()
    for number, data in enumerate(entries, start=1):
        name = data.get("id") if isinstance(data, dict) else None
        if isinstance(name, str):
            label = _("entry {number} ({id})", number=number, id=name)
        else:
            label = _("entry {number}", number=number)
        checked = checked_exercise(data)
        if isinstance(checked, list):
            problems += [_("{entry}: {problem}", entry=label, problem=p) for p in checked]
            continue
        if checked.id in reserved_ids:
            problems.append(
                _(
                    "{entry}: id: {id} is a built-in exercise's id",
                    entry=label,
                    id=repr(checked.id),
                )
            )
        elif checked.id in seen:
            problems.append(
                _("{entry}: id: {id} appears twice in the file", entry=label, id=repr(checked.id))
            )
        seen.add(checked.id)
        imported.append(ImportedExercise(checked, is_physio_credit(checked.source)))
    return imported, problems
