"""The exercise library, grouped by place, each exercise with a Start button."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock

from bot.blocks.exercise import PLACE_LABEL
from bot.blocks.ids import START
from bot.blocks.message import Message, button, context, escape, section
from bot.domain.content import Exercise, Library, localized
from bot.domain.fit import Fit, why_not

# A message holds at most 50 blocks: past this many per place, the rest are named, not listed.
ROWS_PER_PLACE = 20
NO_MATCH_ROWS = 8
FITS = ":white_check_mark: Fits you"
NOT_FOR_YOU = ":no_entry_sign: Not suggested to you"
FIT_LEGEND = (
    f"{FITS} — suggestions and reminders choose from these. {NOT_FOR_YOU} — what you chose in "
    "`/stretch settings` rules it out; *Start* still shows it."
)


def library_message(library: Library, fit: Fit | None = None) -> Message:
    """With ``fit``, each row says whether it suits that person, and why not."""
    blocks: list[Block] = [HeaderBlock(text="Exercise library")]
    if fit is not None:
        blocks.append(context(FIT_LEGEND))
    for place in ("office", "home"):
        exercises = library.by_place(place)
        blocks.append(DividerBlock())
        blocks.append(section(f"*{PLACE_LABEL[place]}*"))
        blocks.extend(exercise_rows(exercises[:ROWS_PER_PLACE], fit))
        if len(exercises) > ROWS_PER_PLACE:
            rest = ", ".join(localized(e).title for e in exercises[ROWS_PER_PLACE:])
            blocks.append(context(f"Also: {rest}"[:2000] + " — try `/stretch <name>`"))
    return Message.build(f"{len(library.exercises)} exercises: office and home", blocks)


def exercise_rows(exercises: Sequence[Exercise], fit: Fit | None = None) -> list[Block]:
    """One line per exercise with its Start button; shared by the library and the no-match reply.
    With ``fit``, a mark of whether it suits that person."""
    return [
        section(
            f"*{shown.title}* — {', '.join(shown.muscles)}\n"
            f"_{exercise.repetitions_text} · about {exercise.minutes} min_"
            + _fit_mark(exercise, fit),
            accessory=button("Start", START, exercise.id),
        )
        for exercise in exercises
        for shown in [localized(exercise)]
    ]


def _fit_mark(exercise: Exercise, fit: Fit | None) -> str:
    if fit is None:
        return ""
    reason = why_not(exercise, fit)
    return f"\n{FITS}" if reason is None else f"\n{NOT_FOR_YOU}: {reason}"


def no_match_message(words: str, library: Library) -> Message:
    names = ", ".join(localized(e).title for e in library.exercises[:NO_MATCH_ROWS])
    words = escape(words)
    text = f"No exercise matches “{words}”. Try one of these: {names}."
    blocks: list[Block] = [
        section(
            f"No exercise matches “{words}”. Try a muscle or body area such as `hamstring`, "
            "`lower back` or `shoulders` — or start one of these:"
        ),
        *exercise_rows(library.exercises[:NO_MATCH_ROWS]),
        context("`/stretch list` shows the whole library."),
    ]
    return Message.build(text, blocks)
