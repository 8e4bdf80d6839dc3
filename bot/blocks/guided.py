"""Guided mode's messages: one step of a walk-through ("Step 2 of 4"), with its hold and its
Back / Next / Done buttons, and the Guide me buttons that start one."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blocks.ids import GUIDE_BACK, GUIDE_DONE, GUIDE_NEXT, GUIDE_START
from bot.blocks.message import ButtonValue, Message, button, context, header, section
from bot.domain.content import Exercise, localized
from bot.domain.guided import GuideStep, WalkRef
from bot.domain.i18n import N_, _

SIDE_LABEL = {"first": N_("First side"), "other": N_("Other side")}


def guide_me_button(value: ButtonValue) -> ButtonElement:
    """On a card its value is the card's (as Done's); on a challenge post, the day's."""
    return button(_("Guide me"), GUIDE_START, value)


def step_message(
    exercise: Exercise, steps: tuple[GuideStep, ...], walk: WalkRef, advances_by_itself: bool
) -> Message:
    """Step `walk.step` of `steps`. A hold says whether the walk-through moves on by itself when
    it is up (`advances_by_itself`) or waits for Next."""
    exercise = localized(exercise)
    step, number, total = steps[walk.step], walk.step + 1, len(steps)
    side = _(SIDE_LABEL[step.side]) if step.side else None
    if side:
        heading = _("*Step {number} of {total}* · {side}", number=number, total=total, side=side)
    else:
        heading = _("*Step {number} of {total}*", number=number, total=total)
    blocks: list[Block] = [
        header(exercise.title),
        section(f"{heading}\n{step.text}"),
    ]
    notes = []
    if step.hold_seconds is not None:
        notes.append(
            _hold_note(step.hold_seconds, last=number == total, by_itself=advances_by_itself)
        )
    if step.repeat_note:
        notes.append(f":repeat: {step.repeat_note}")
    if notes:
        blocks.append(context(*notes))
    if walk.step == 0 and exercise.cautions:
        blocks.append(section(":warning: " + " ".join(exercise.cautions)))
    blocks.append(_step_buttons(walk, total))
    if side:
        text = _(
            "{title}: step {number} of {total}, {side}",
            title=exercise.title,
            number=number,
            total=total,
            side=side,
        )
    else:
        text = _(
            "{title}: step {number} of {total}", title=exercise.title, number=number, total=total
        )
    return Message.build(text, blocks)


def _hold_note(seconds: int, *, last: bool, by_itself: bool) -> str:
    if last:
        return _(":stopwatch: *Hold {seconds} s* — then tap *Done*", seconds=seconds)
    if by_itself:
        return _(":stopwatch: *Hold {seconds} s* — I'll move on when it's up", seconds=seconds)
    return _(":stopwatch: *Hold {seconds} s* — then tap *Next*", seconds=seconds)


def _step_buttons(walk: WalkRef, total: int) -> ActionsBlock:
    buttons = []
    if walk.step > 0:
        buttons.append(button(_("Back"), GUIDE_BACK, walk.to(walk.step - 1).as_value()))
    if walk.step + 1 < total:
        buttons.append(
            button(_("Next"), GUIDE_NEXT, walk.to(walk.step + 1).as_value(), style="primary")
        )
    else:
        buttons.append(button(_("Done"), GUIDE_DONE, walk.as_value(), style="primary"))
    return ActionsBlock(block_id="guide_actions", elements=buttons)
