"""The exercise card (header, why, numbered steps, buttons) and what replaces it after Done."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, HeaderBlock

from bot.blocks.message import Message, button, context, section
from bot.content import Exercise

DONE = "exercise_done"
ANOTHER = "exercise_another"
START = "exercise_start"

PLACE_LABEL = {"office": "At the desk", "home": "At home"}


def exercise_card(exercise: Exercise, card: str, source: str = "command") -> Message:
    """`card` identifies this one message, so that Done counts once however often it is clicked."""
    value = {"exercise": exercise.id, "card": card, "source": source}
    blocks = [
        HeaderBlock(text=exercise.title),
        section(f"*Why:* {exercise.why}"),
        section(_steps(exercise)),
        context(*_facts(exercise)),
    ]
    if exercise.cautions:
        blocks.append(section(":warning: " + " ".join(exercise.cautions)))
    blocks.append(
        ActionsBlock(
            block_id="exercise_actions",
            elements=[
                button("Done", DONE, value, style="primary"),
                button("Another one", ANOTHER, value),
            ],
        )
    )
    return Message.build(f"Time to stretch: {exercise.title}", blocks)


def done_confirmation(exercise: Exercise, done_today: int) -> Message:
    times = "1 exercise" if done_today == 1 else f"{done_today} exercises"
    text = f":white_check_mark: Nice work — {exercise.title} done. That's {times} today."
    return Message.build(text, [section(text)])


def _steps(exercise: Exercise) -> str:
    lines = [f"{number}. {step}" for number, step in enumerate(exercise.steps, start=1)]
    return "*How to do it:*\n" + "\n".join(lines)


def _facts(exercise: Exercise) -> list[str]:
    facts = [f":repeat: {exercise.repetitions_text}"]
    if exercise.hold_text:
        facts.append(f":stopwatch: {exercise.hold_text}")
    if exercise.frequency:
        facts.append(f":calendar: {exercise.frequency}")
    facts.append(f":round_pushpin: {PLACE_LABEL[exercise.place]} · {exercise.equipment_text}")
    facts.append(f"Source: {exercise.source.credit}")
    return facts
