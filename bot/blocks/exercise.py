"""Activity cards — an exercise (header, why, numbered steps) or a short movement break — with
their buttons, and what replaces a card after Done.

A card is rendered through slack_sdk.models once per activity, source and set of buttons, and each
message gets a copy with its own ids in the button values (see `bot.blocks.rendered`).
"""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block

from bot.blocks.guided import guide_me_button
from bot.blocks.ids import (
    ANOTHER,
    DONE,
    GUIDE_START,
    MORE_LIKE_THIS,
    MOVED_ANYWAY,
    NOT_FOR_ME,
    REMINDERS_ON,
    SKIP,
    SNOOZE,
)
from bot.blocks.message import ButtonValue, Message, button, context, header, section
from bot.blocks.rendered import ByIdentity, MessageTemplate
from bot.domain.content import Activity, Exercise, Suitability, Tip, localized
from bot.domain.i18n import N_, _, cache_per_language, ngettext

# Labels of the content's fixed values, in English; shown through `_`.
PLACE_LABEL = {"office": N_("At the desk"), "home": N_("At home")}
POSITION_LABEL = {"seated": N_("Seated"), "standing": N_("Standing"), "floor": N_("On the floor")}
SPACE_LABEL = {
    "seat": N_("just your seat"),
    "standing room": N_("room to stand"),
    "floor space": N_("floor space for a mat"),
    "a short walk": N_("a short walk"),
}
LOAD_LABEL = {
    "wrists": N_("wrists"),
    "knees": N_("knees"),
    "shoulders": N_("shoulders"),
    "neck": N_("neck"),
    "lower back": N_("lower back"),
}

# Cards kept rendered, one per activity, source, with or without nudge buttons and with or
# without the reminder offer: at most 12 per activity, a handful in practice.
CARD_TEMPLATES = 1024


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
    return _from_template(exercise, card, source, nudge_id, offer_reminders)


def activity_card(
    activity: Activity, card: str, source: str, nudge_id: int | None = None
) -> Message:
    return _from_template(activity, card, source, nudge_id, offer_reminders=False)


def build_activity_card(
    activity: Activity,
    card: str,
    source: str,
    nudge_id: int | None = None,
    *,
    offer_reminders: bool = False,
) -> Message:
    """The card rendered from scratch, as the cached ones are made (`offer_reminders` applies
    to exercises only), in the language being spoken."""
    activity = localized(activity)
    if isinstance(activity, Exercise):
        return _exercise_card(activity, card, source, nudge_id, offer_reminders)
    return _movement_break_card(activity, card, source, nudge_id)


def card_button_values(
    activity_id: str, card: str, source: str, nudge_id: int | None
) -> dict[str, ButtonValue]:
    """What a card's buttons carry, by action id: the card for Done, Another one, Guide me, More
    like this and Not for me, the nudge for Snooze, Skip and I moved anyway."""
    card_value = {"exercise": activity_id, "card": card, "source": source}
    values: dict[str, ButtonValue] = {
        DONE: card_value,
        ANOTHER: card_value,
        GUIDE_START: card_value,
        MORE_LIKE_THIS: card_value,
        NOT_FOR_ME: card_value,
    }
    if nudge_id is not None:
        nudge_value = {"nudge": nudge_id}
        values |= {SNOOZE: nudge_value, SKIP: nudge_value, MOVED_ANYWAY: nudge_value}
    return values


def card_actions(
    activity_id: str, card: str, source: str, nudge_id: int | None, *, guided: bool = False
) -> ActionsBlock:
    """`guided`: with Guide me, for exercises (a movement break has no steps to walk through)."""
    values = card_button_values(activity_id, card, source, nudge_id)
    buttons = [button(_("Done"), DONE, values[DONE], style="primary")]
    if guided:
        buttons.append(guide_me_button(values[GUIDE_START]))
    if nudge_id is not None:
        buttons.append(button(_("Snooze 10 min"), SNOOZE, values[SNOOZE]))
    buttons.append(button(_("Another one"), ANOTHER, values[ANOTHER]))
    buttons.append(button(_("More like this"), MORE_LIKE_THIS, values[MORE_LIKE_THIS]))
    buttons.append(button(_("Not for me"), NOT_FOR_ME, values[NOT_FOR_ME]))
    if nudge_id is not None:
        buttons.append(button(_("Skip"), SKIP, values[SKIP]))
        buttons.append(button(_("I moved anyway"), MOVED_ANYWAY, values[MOVED_ANYWAY]))
    return ActionsBlock(block_id="exercise_actions", elements=buttons)


def _from_template(
    activity: Activity, card: str, source: str, nudge_id: int | None, offer_reminders: bool
) -> Message:
    # Keyed on the localized copy: one template per activity and language.
    activity = localized(activity)
    template = _card_template(ByIdentity(activity), source, nudge_id is not None, offer_reminders)
    return template.fill(card_button_values(activity.id, card, source, nudge_id))


@cache_per_language(CARD_TEMPLATES)
def _card_template(
    activity: ByIdentity[Activity], source: str, with_nudge: bool, offer_reminders: bool
) -> MessageTemplate:
    """The card rendered with placeholder ids (no card id, nudge 0) for `fill` to replace, in
    the language being spoken (one template per language)."""
    nudge_id = 0 if with_nudge else None
    return MessageTemplate.of(
        build_activity_card(activity.value, "", source, nudge_id, offer_reminders=offer_reminders)
    )


def _exercise_card(
    exercise: Exercise, card: str, source: str, nudge_id: int | None, offer_reminders: bool
) -> Message:
    blocks: list[Block] = [
        header(exercise.title),
        section(why_text(exercise)),
        section(steps_text(exercise)),
        context(*exercise_facts(exercise)),
        *_cautions(exercise),
        card_actions(exercise.id, card, source, nudge_id, guided=True),
    ]
    if offer_reminders:
        blocks.append(context(_("Want a nudge like this during your work hours?")))
        blocks.append(
            ActionsBlock(
                block_id="reminder_offer",
                elements=[button(_("Remind me during work hours"), REMINDERS_ON, "on")],
            )
        )
    return Message.build(_("Time to stretch: {title}", title=exercise.title), blocks)


def _movement_break_card(tip: Tip, card: str, source: str, nudge_id: int | None) -> Message:
    points = "".join(f"\n• {point}" for point in tip.points)
    blocks: list[Block] = [
        header(tip.title),
        section(tip.summary + points),
        context(_suits(tip)),
        *_cautions(tip),
        card_actions(tip.id, card, source, nudge_id),
    ]
    return Message.build(_("Movement break: {title}", title=tip.title), blocks)


def done_confirmation(activity: Activity, done_today: int) -> Message:
    text = ngettext(
        ":white_check_mark: Nice work — {title} done. That's {n} exercise today.",
        ":white_check_mark: Nice work — {title} done. That's {n} exercises today.",
        done_today,
        title=localized(activity).title,
    )
    return Message.build(text, [section(text)])


def why_text(exercise: Exercise) -> str:
    return _("*Why:* {why}", why=localized(exercise).why)


def steps_text(exercise: Exercise) -> str:
    return _("*How to do it:*") + "\n" + numbered_steps(exercise)


def numbered_steps(exercise: Exercise) -> str:
    steps = localized(exercise).steps
    return "\n".join(f"{number}. {step}" for number, step in enumerate(steps, start=1))


def exercise_facts(exercise: Exercise) -> list[str]:
    exercise = localized(exercise)
    facts = [f":repeat: {exercise.repetitions_text}"]
    if exercise.hold_text:
        facts.append(f":stopwatch: {exercise.hold_text}")
    if exercise.frequency:
        facts.append(f":calendar: {exercise.frequency}")
    facts.append(f":round_pushpin: {_(PLACE_LABEL[exercise.place])} · {exercise.equipment_text}")
    facts.append(_suits(exercise))
    facts.append(source_text(exercise))
    return facts


def source_text(exercise: Exercise) -> str:
    return _("Source: {credit}", credit=exercise.source.credit)


def _suits(item: Suitability) -> str:
    """E.g. ":seat: On the floor · needs floor space for a mat · loads wrists, lower back"."""
    position, space = _(POSITION_LABEL[item.position]), _(SPACE_LABEL[item.space])
    if not item.loads:
        return _(":seat: {position} · needs {space}", position=position, space=space)
    loads = ", ".join(_(LOAD_LABEL[load]) for load in item.loads)
    return _(
        ":seat: {position} · needs {space} · loads {loads}",
        position=position,
        space=space,
        loads=loads,
    )


def _cautions(item: Suitability) -> list[Block]:
    return [section(":warning: " + " ".join(item.cautions))] if item.cautions else []
