"""Guided mode: an exercise as a walk-through, one step at a time, and the rules that keep its
automatic advances inside Slack's limits.

The steps come from the content as written. A step that says "hold" holds for the exercise's
`hold_seconds` (when no step says so, the last movement step holds). For an exercise done on each
side, the first step is the starting position and the steps after it are one side's movement:
they are shown once for the first side and again for the other side, and a step that only says
"repeat on the other side" is replaced by that repetition. The repetitions are said on the last
step of each side (or the last step), so a person knows when to go round again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.domain.cards import is_card_id
from bot.domain.content import Exercise, localized
from bot.domain.i18n import _
from bot.domain.row_ids import row_id

Side = Literal["first", "other"]

_SAYS_HOLD = re.compile(r"\bhold\b", re.IGNORECASE)
_SAYS_OTHER_SIDE = re.compile(r"\bother side\b", re.IGNORECASE)

# Slack: a response_url may be used five times within thirty minutes of the click that gave it.
RESPONSE_URL_USES = 5
RESPONSE_URL_LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True)
class GuideStep:
    text: str
    hold_seconds: int | None = None
    side: Side | None = None
    repeat_note: str | None = None


def guide_steps(exercise: Exercise) -> tuple[GuideStep, ...]:
    """The walk-through of `exercise`: never empty, each step a line of its content."""
    if not exercise.repetitions.per_side:
        steps = [_step(exercise, index) for index in range(len(exercise.steps))]
        return (*steps[:-1], _with_note(steps[-1], _("Do this {count}.", count=_count(exercise))))
    movement = _movement(exercise)
    start, one_side = (movement[:1], movement[1:]) if len(movement) > 1 else ([], movement)
    count = _count(exercise)
    first = [_step(exercise, i, "first") for i in one_side]
    other = [_step(exercise, i, "other") for i in one_side]
    first[-1] = _with_note(
        first[-1], _("Do this {count}, then switch to the other side.", count=count)
    )
    other[-1] = _with_note(other[-1], _("Do this {count} on this side too.", count=count))
    return (*(_step(exercise, i) for i in start), *first, *other)


def _movement(exercise: Exercise) -> list[int]:
    """The indexes of the steps that are a movement, not only "the same on the other side"."""
    steps = exercise.steps
    return [i for i, text in enumerate(steps) if not _SAYS_OTHER_SIDE.search(text)] or [0]


def _count(exercise: Exercise) -> str:
    return exercise.repetitions.count_text


def _holding_step(exercise: Exercise) -> int | None:
    """The index of the step the hold belongs to when no step says "hold"."""
    if exercise.hold_seconds is None or any(_SAYS_HOLD.search(s) for s in exercise.steps):
        return None
    return _movement(exercise)[-1]


def _step(exercise: Exercise, index: int, side: Side | None = None) -> GuideStep:
    """Step `index`, shown in the language being spoken; where it holds is read from the
    English, which the rules above understand."""
    holds = _SAYS_HOLD.search(exercise.steps[index]) is not None or index == _holding_step(exercise)
    text = localized(exercise).steps[index]
    return GuideStep(text, exercise.hold_seconds if holds else None, side)


def _with_note(step: GuideStep, note: str) -> GuideStep:
    return GuideStep(step.text, step.hold_seconds, step.side, note)


@dataclass(frozen=True)
class WalkRef:
    """What a walk-through's buttons carry: the card it was started from (Done counts for that
    card, with its source), the exercise, and the step the button leads to."""

    exercise_id: str
    card: str
    source: str
    step: int

    def to(self, step: int) -> WalkRef:
        return WalkRef(self.exercise_id, self.card, self.source, step)

    def as_value(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise_id,
            "card": self.card,
            "source": self.source,
            "step": self.step,
        }


def read_walk(value: dict[str, Any]) -> WalkRef | None:
    """A walk read back from a button value, or None when it is not one the app could have
    written (a missing or ill-typed field, a bad card id, a negative step). Whether the exercise
    exists and the step is inside it is for the caller, who has the library."""
    exercise, card, source = value.get("exercise"), value.get("card"), value.get("source")
    step = value.get("step", 0)
    if not (isinstance(exercise, str) and isinstance(card, str) and isinstance(source, str)):
        return None
    if type(step) is not int or step < 0 or not is_card_id(card):
        return None
    return WalkRef(exercise, card, source, step)


def challenge_day_card(day_id: int) -> str:
    """The card id of a person's walk-through of a challenge day (their own, not the post)."""
    return f"day-{day_id}"


def challenge_day_of(card: str) -> int | None:
    return _row_of(card, "day")


def group_break_card(group_break_id: int) -> str:
    """The card id of a person's walk-through of a group break's exercise (theirs, not the
    thread's post)."""
    return f"together-{group_break_id}"


def group_break_of(card: str) -> int | None:
    return _row_of(card, "together")


def _row_of(card: str, kind: str) -> int | None:
    prefix, _dash, number = card.partition("-")
    return row_id(int(number)) if prefix == kind and number.isdigit() else None


@dataclass(frozen=True)
class ResponseUrlUse:
    """How much of one response_url is spent: when it was first used and how often since."""

    first_used: datetime
    uses: int = 1

    def allows_another(self, now: datetime) -> bool:
        return self.uses < RESPONSE_URL_USES and now < self.first_used + RESPONSE_URL_LIFETIME

    def used_again(self) -> ResponseUrlUse:
        return ResponseUrlUse(self.first_used, self.uses + 1)
