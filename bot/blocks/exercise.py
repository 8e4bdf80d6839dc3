"""Activity cards — an exercise (header, why, numbered steps) or a short movement break — with
their buttons, and what replaces a card after Done."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, HeaderBlock

from bot.blocks.ids import ANOTHER, DONE, REMINDERS_ON, SKIP, SNOOZE
from bot.blocks.message import Message, button, context, section
from bot.content import Exercise, Tip

PLACE_LABEL = {"office": "At the desk", "home": "At home"}


def exercise_card(
    exercise: Exercise,
    card: str,
    source: str = "command",
    nudge_id: int | None = None,
    *,
    offer_reminders: bool = False,
) -> Message:
    """`card` identifies this one message, so that Done counts once however often it is clicked.
    A `nudge_id` adds Snooze and Skip; `offer_reminders` a button to turn reminders on."""
    blocks: list[Block] = [
        HeaderBlock(text=exercise.title),
        section(f"*Why:* {exercise.why}"),
        section(_steps(exercise)),
        context(*_facts(exercise)),
    ]
    if exercise.cautions:
        blocks.append(section(":warning: " + " ".join(exercise.cautions)))
    blocks.append(card_actions(exercise.id, card, source, nudge_id))
    if offer_reminders:
        blocks.append(context("Want a nudge like this during your work hours?"))
        blocks.append(
            ActionsBlock(
                block_id="reminder_offer",
                elements=[button("Remind me during work hours", REMINDERS_ON, "on")],
            )
        )
    return Message.build(f"Time to stretch: {exercise.title}", blocks)


def movement_break_card(tip: Tip, card: str, source: str, nudge_id: int | None = None) -> Message:
    points = "".join(f"\n• {point}" for point in tip.points)
    blocks: list[Block] = [
        HeaderBlock(text=tip.title),
        section(tip.summary + points),
        card_actions(tip.id, card, source, nudge_id),
    ]
    return Message.build(f"Movement break: {tip.title}", blocks)


def activity_card(
    activity: Exercise | Tip, card: str, source: str, nudge_id: int | None = None
) -> Message:
    if isinstance(activity, Exercise):
        return exercise_card(activity, card, source, nudge_id)
    return movement_break_card(activity, card, source, nudge_id)


def card_actions(activity_id: str, card: str, source: str, nudge_id: int | None) -> ActionsBlock:
    value = {"exercise": activity_id, "card": card, "source": source}
    buttons = [button("Done", DONE, value, style="primary")]
    if nudge_id is not None:
        buttons.append(button("Snooze 10 min", SNOOZE, {"nudge": nudge_id}))
    buttons.append(button("Another one", ANOTHER, value))
    if nudge_id is not None:
        buttons.append(button("Skip", SKIP, {"nudge": nudge_id}))
    return ActionsBlock(block_id="exercise_actions", elements=buttons)


def done_confirmation(activity: Exercise | Tip, done_today: int) -> Message:
    times = "1 exercise" if done_today == 1 else f"{done_today} exercises"
    text = f":white_check_mark: Nice work — {activity.title} done. That's {times} today."
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
