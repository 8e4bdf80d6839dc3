"""The exercise library, grouped by place, each exercise with a Start button."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, DividerBlock

from bot.blocks.exercise import PLACE_LABEL
from bot.blocks.ids import START
from bot.blocks.message import Message, button, context, escape, header, section
from bot.domain.content import Exercise, Library, localized
from bot.domain.fit import Fit, why_not
from bot.domain.i18n import _, ngettext

# A message holds at most 50 blocks: past this many per place, the rest are named, not listed.
ROWS_PER_PLACE = 20
NO_MATCH_ROWS = 8
# The names left over fill one context element, "Also: … — try `/stretch <name>`", under its
# 3000 characters whatever the words around them.
REST_LENGTH = 1994


def library_message(library: Library, fit: Fit | None = None) -> Message:
    """With ``fit``, each row says whether it suits that person, and why not."""
    blocks: list[Block] = [header(_("Exercise library"))]
    if fit is not None:
        blocks.append(context(_fit_legend()))
    for place in ("office", "home"):
        exercises = library.by_place(place)
        blocks.append(DividerBlock())
        blocks.append(section(f"*{_(PLACE_LABEL[place])}*"))
        blocks.extend(exercise_rows(exercises[:ROWS_PER_PLACE], fit))
        if len(exercises) > ROWS_PER_PLACE:
            rest = ", ".join(localized(e).title for e in exercises[ROWS_PER_PLACE:])
            rest = rest[:REST_LENGTH]
            blocks.append(context(_("Also: {names} — try `/stretch <name>`", names=rest)))
    count = len(library.exercises)
    text = ngettext("{n} exercise: office and home", "{n} exercises: office and home", count)
    return Message.build(text, blocks)


def _fit_legend() -> str:
    return _(
        ":white_check_mark: Fits you — suggestions and reminders choose from these. "
        ":no_entry_sign: Not suggested to you — what you chose in `/stretch settings` rules it "
        "out; *Start* still shows it."
    )


def exercise_rows(exercises: Sequence[Exercise], fit: Fit | None = None) -> list[Block]:
    """One line per exercise with its Start button; shared by the library and the no-match reply.
    With ``fit``, a mark of whether it suits that person."""
    return [
        section(
            _(
                "*{title}* — {muscles}\n_{repetitions} · about {minutes} min_",
                title=shown.title,
                muscles=", ".join(shown.muscles),
                repetitions=exercise.repetitions_text,
                minutes=exercise.minutes,
            )
            + _fit_mark(exercise, fit),
            accessory=button(_("Start"), START, exercise.id),
        )
        for exercise in exercises
        for shown in [localized(exercise)]
    ]


def _fit_mark(exercise: Exercise, fit: Fit | None) -> str:
    if fit is None:
        return ""
    reason = why_not(exercise, fit)
    if reason is None:
        return "\n" + _(":white_check_mark: Fits you")
    return "\n" + _(":no_entry_sign: Not suggested to you: {reason}", reason=reason)


def no_match_message(words: str, library: Library) -> Message:
    names = ", ".join(localized(e).title for e in library.exercises[:NO_MATCH_ROWS])
    words = escape(words)
    text = _("No exercise matches “{words}”. Try one of these: {names}.", words=words, names=names)
    blocks: list[Block] = [
        section(
            _(
                "No exercise matches “{words}”. Try a muscle or body area such as `hamstring`, "
                "`lower back` or `shoulders` — or start one of these:",
                words=words,
            )
        ),
        *exercise_rows(library.exercises[:NO_MATCH_ROWS]),
        context(_("`/stretch list` shows the whole library.")),
    ]
    return Message.build(text, blocks)
