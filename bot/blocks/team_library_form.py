"""The Add / Edit exercise modal, and reading its submission back into an `Exercise`.

The form has one input per field of ``content/exercises`` (steps and cautions one per line,
muscles and body areas separated by commas); its options for place, position, space, equipment
and loads are those the content model allows. A submission is validated by the same model as
``content/`` plus the card's Block Kit limits (`bot.domain.team_library.checked_exercise`), and
problems come back as ``{block_id: message}`` for ``ack(response_action="errors")``. The payload
is untrusted: a missing or malformed field reads as empty and gets an error, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    InputInteractiveElement,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.content import Equipment, Exercise, Load, Place, Position, Space
from bot.domain.i18n import N_, _
from bot.domain.team_library import (
    CAUTIONS_LENGTH,
    HEADER_LENGTH,
    STEPS_LENGTH,
    WHY_LENGTH,
    TeamExercise,
    checked_exercise,
    source_for,
)

ADD_CALLBACK = "library_add_submit"
EDIT_CALLBACK = "library_edit_submit"
# The id a new exercise is validated under; the service gives it one made from its title.
NEW_EXERCISE_ID = "new-exercise"

TITLE, WHY, STEPS, MUSCLES, BODY_AREAS = "title", "why", "steps", "muscles", "body_areas"
PLACE, POSITION, SPACE, EQUIPMENT, LOADS = "place", "position", "space", "equipment", "loads"
HOLD = "hold_seconds"
REPETITIONS, PER_SIDE, MINUTES, CAUTIONS, PHYSIO = (
    "repetitions",
    "per_side",
    "minutes",
    "cautions",
    "physio",
)
YES = "yes"
# The options of the selects and checkboxes, by the content's value; in English, shown through `_`.
CHOICE_LABELS = {
    "office": N_("Office"),
    "home": N_("Home"),
    "seated": N_("Seated"),
    "standing": N_("Standing"),
    "floor": N_("Floor"),
    "seat": N_("Seat"),
    "standing room": N_("Standing room"),
    "floor space": N_("Floor space"),
    "a short walk": N_("A short walk"),
    "chair": N_("Chair"),
    "mat": N_("Mat"),
    "wrists": N_("Wrists"),
    "knees": N_("Knees"),
    "shoulders": N_("Shoulders"),
    "neck": N_("Neck"),
    "lower back": N_("Lower back"),
}
LIST_LENGTH = 300  # muscles, body areas

Errors = dict[str, str]
_REPETITIONS = re.compile(r"\s*(\d{1,3})\s*(?:[-\N{EN DASH}]\s*(\d{1,3}))?\s*")
_WHOLE_NUMBER = re.compile(r"\s*(\d{1,4})\s*")


@dataclass(frozen=True)
class ExerciseForm:
    """A valid submission: the exercise (under `NEW_EXERCISE_ID` until saved) and its credit."""

    exercise: Exercise
    from_physio: bool


def exercise_modal(editing: TeamExercise | None = None) -> dict[str, Any]:
    """The modal for `views.open`: empty to add, filled in with `editing` to edit it (whose id
    rides in `private_metadata`; the service checks the editor's rights again on submit)."""
    e = editing.exercise if editing else None
    blocks = [
        _text(TITLE, _("Title"), e.title if e else None, HEADER_LENGTH),
        _text(WHY, _("Why it helps"), e.why if e else None, WHY_LENGTH, multiline=True),
        _text(
            STEPS,
            _("Steps, one per line"),
            "\n".join(e.steps) if e else None,
            STEPS_LENGTH,
            multiline=True,
            hint=_("Don't number them: they are numbered when shown."),
        ),
        _text(MUSCLES, _("Muscles, separated by commas"), _joined(e.muscles if e else None)),
        _text(
            BODY_AREAS,
            _("Body areas, separated by commas"),
            _joined(e.body_areas if e else None),
            hint=_("Lowercase words that search finds, e.g. lower back, shoulders"),
        ),
        _select(PLACE, _("Where"), get_args(Place), e.place if e else None),
        _select(POSITION, _("Position"), get_args(Position), e.position if e else None),
        _select(SPACE, _("Room it needs"), get_args(Space), e.space if e else None),
        _checkboxes(EQUIPMENT, _("Equipment"), get_args(Equipment), e.equipment if e else ()),
        _checkboxes(
            LOADS,
            _("What it loads"),
            get_args(Load),
            e.loads if e else (),
            hint=_("What bears weight or strain: people who must spare it are not offered it."),
        ),
        _text(
            HOLD,
            _("Hold, in seconds"),
            str(e.hold_seconds) if e and e.hold_seconds else None,
            4,
            optional=True,
            hint=_("Leave empty when there is no hold."),
        ),
        _text(
            REPETITIONS,
            _("Repetitions"),
            _repetitions(e) if e else None,
            7,
            hint=_("A number or a range: 10, or 3-5"),
        ),
        _checkboxes(
            PER_SIDE,
            _("Per side"),
            [YES],
            [YES] if e and e.repetitions.per_side else (),
            _("On each side"),
        ),
        _text(MINUTES, _("About how many minutes (1-15)"), str(e.minutes) if e else None, 2),
        _text(
            CAUTIONS,
            _("Cautions, one per line"),
            "\n".join(e.cautions) if e and e.cautions else None,
            CAUTIONS_LENGTH,
            multiline=True,
            optional=True,
            hint=_("At least one for an exercise done on the floor."),
        ),
        _checkboxes(
            PHYSIO,
            _("Credit"),
            [YES],
            [YES] if editing and editing.from_physio else (),
            _("From your physio"),
        ),
    ]
    view = View(
        type="modal",
        callback_id=EDIT_CALLBACK if editing else ADD_CALLBACK,
        title=_("Edit exercise") if editing else _("Add an exercise"),
        submit=_("Save"),
        close=_("Cancel"),
        private_metadata=editing.exercise.id if editing else None,
        blocks=blocks,
    )
    return view.to_dict()


def parse_exercise_form(state_values: Any) -> ExerciseForm | Errors:
    """A valid exercise from a view_submission's state values, or errors keyed by block_id."""
    values = state_values if isinstance(state_values, dict) else {}
    read = _Reader(values)
    data: dict[str, Any] = {
        "id": NEW_EXERCISE_ID,
        "title": read.text(TITLE),
        "why": read.text(WHY),
        "muscles": read.items(MUSCLES),
        "body_areas": [area.lower() for area in read.items(BODY_AREAS)],
        "place": read.selected(PLACE),
        "position": read.selected(POSITION),
        "space": read.selected(SPACE),
        "equipment": read.checked(EQUIPMENT),
        "loads": read.checked(LOADS),
        "steps": read.lines(STEPS),
        "hold_seconds": read.number(
            HOLD, _("Please give the hold in whole seconds, e.g. 20."), optional=True
        ),
        "repetitions": read.repetitions(),
        "cautions": read.lines(CAUTIONS),
        "source": source_for(from_physio := YES in read.checked(PHYSIO)).model_dump(),
        "minutes": read.number(MINUTES, _("Please give minutes as a whole number, 1 to 15.")),
    }
    checked = checked_exercise(data)
    if isinstance(checked, Exercise) and not read.errors:
        return ExerciseForm(checked, from_physio)
    errors: Errors = {}
    for problem in checked if isinstance(checked, list) else []:
        field, _separator, message = problem.partition(": ")
        block = re.split(r"[ .#]", field, maxsplit=1)[0]
        block = block if block in _BLOCKS else TITLE
        errors[block] = (errors.get(block, "") + " " + message).strip()[:300]
    return errors | read.errors  # a field that could not be read: its own prompt says why


_BLOCKS = frozenset(
    {TITLE, WHY, STEPS, MUSCLES, BODY_AREAS, PLACE, POSITION, SPACE, EQUIPMENT, LOADS}
    | {HOLD, REPETITIONS, MINUTES, CAUTIONS}
)


class _Reader:
    """Reads each input of the submission leniently; unreadable numbers become errors."""

    def __init__(self, values: dict[Any, Any]) -> None:
        self._values = values
        self.errors: Errors = {}

    def _action(self, block_id: str) -> dict[str, Any]:
        block = self._values.get(block_id)
        action = block.get(block_id) if isinstance(block, dict) else None
        return action if isinstance(action, dict) else {}

    def text(self, block_id: str) -> str:
        value = self._action(block_id).get("value")
        return value if isinstance(value, str) else ""

    def lines(self, block_id: str) -> list[str]:
        return [line.strip() for line in self.text(block_id).splitlines() if line.strip()]

    def items(self, block_id: str) -> list[str]:
        return [item.strip() for item in self.text(block_id).split(",") if item.strip()]

    def selected(self, block_id: str) -> str:
        option = self._action(block_id).get("selected_option")
        value = option.get("value") if isinstance(option, dict) else None
        return value if isinstance(value, str) else ""

    def checked(self, block_id: str) -> list[str]:
        options = self._action(block_id).get("selected_options")
        if not isinstance(options, list):
            return []
        return [
            o["value"] for o in options if isinstance(o, dict) and isinstance(o.get("value"), str)
        ]

    def number(self, block_id: str, prompt: str, *, optional: bool = False) -> int | None:
        """The whole number typed in `block_id`; else None, and `prompt` as its error."""
        text = self.text(block_id)
        if optional and not text.strip():
            return None
        match = _WHOLE_NUMBER.fullmatch(text)
        if match is None:
            self.errors[block_id] = prompt
            return None
        return int(match.group(1))

    def repetitions(self) -> dict[str, Any]:
        match = _REPETITIONS.fullmatch(self.text(REPETITIONS))
        if match is None:
            self.errors[REPETITIONS] = _("Please give a number, e.g. 10, or a range, e.g. 3-5.")
            return {}
        low = int(match.group(1))
        high = int(match.group(2) or low)
        return {"min": low, "max": high, "per_side": YES in self.checked(PER_SIDE)}


def _repetitions(exercise: Exercise) -> str:
    low, high = exercise.repetitions.min, exercise.repetitions.max
    return str(low) if low == high else f"{low}-{high}"


def _joined(items: list[str] | None) -> str | None:
    return ", ".join(items) if items else None


def _input(
    block_id: str,
    label: str,
    element: InputInteractiveElement,
    *,
    optional: bool = False,
    hint: str | None = None,
) -> InputBlock:
    element.action_id = block_id
    return InputBlock(block_id=block_id, label=label, element=element, hint=hint, optional=optional)


def _text(
    block_id: str,
    label: str,
    initial: str | None,
    max_length: int = LIST_LENGTH,
    *,
    multiline: bool = False,
    optional: bool = False,
    hint: str | None = None,
) -> InputBlock:
    element = PlainTextInputElement(
        initial_value=initial, max_length=max_length, multiline=multiline
    )
    return _input(block_id, label, element, optional=optional, hint=hint)


def _select(block_id: str, label: str, choices: tuple[str, ...], current: str | None) -> InputBlock:
    options = {choice: Option(value=choice, label=_(CHOICE_LABELS[choice])) for choice in choices}
    element = StaticSelectElement(
        placeholder=_("Choose"), options=list(options.values()), initial_option=options.get(current)
    )
    return _input(block_id, label, element)


def _checkboxes(
    block_id: str,
    label: str,
    choices: Sequence[str],
    chosen: Collection[str],
    option_label: str | None = None,
    *,
    hint: str | None = None,
) -> InputBlock:
    options = [Option(value=c, label=option_label or _(CHOICE_LABELS[c])) for c in choices]
    initial = [option for option in options if option.value in chosen]
    element = CheckboxesElement(options=options, initial_options=initial or None)
    return _input(block_id, label, element, optional=True, hint=hint)
