"""What suits a person, in Slack: the Settings modal's part (restrictions, hidden activities)
and its reader, the card for what the picker chose, and the notes a card carries when the
choice was narrowed for them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from slack_sdk.models.blocks import (
    ActionsBlock,
    CheckboxesElement,
    InputBlock,
    Option,
    StaticMultiSelectElement,
)

from bot.blocks.exercise import activity_card, exercise_card
from bot.blocks.ids import OPEN_SETTINGS
from bot.blocks.message import Message, button, context, escape, section
from bot.domain.content import Activity, Exercise, localized
from bot.domain.fit import RESTRICTION_LABELS, RESTRICTIONS, Choice, Restriction
from bot.domain.i18n import N_, _

RESTRICTIONS_BLOCK = "fit_restrictions"
HIDDEN_BLOCK = "fit_hidden"
# A multi-select holds at most 100 options; option text at most 75 characters.
MAX_HIDDEN_SHOWN = 100
OPTION_TEXT = 75

NOTHING_FITS = N_(
    "Nothing in the library fits what you chose in Settings — no exercise and no movement "
    "break. Loosen a restriction or bring back something you hid in `/stretch settings`."
)


def fit_settings_blocks(
    restrictions: frozenset[Restriction], hidden: Sequence[Activity]
) -> list[InputBlock]:
    """The Settings modal's inputs for what suits the person; the hidden list only when
    something is hidden."""
    options = {r: Option(value=r, label=_(RESTRICTION_LABELS[r])) for r in RESTRICTIONS}
    chosen = [options[r] for r in RESTRICTIONS if r in restrictions]
    element = CheckboxesElement(
        action_id=RESTRICTIONS_BLOCK, options=list(options.values()), initial_options=chosen or None
    )
    blocks = [
        InputBlock(
            block_id=RESTRICTIONS_BLOCK,
            label=_("What suits you"),
            element=element,
            hint=_(
                "Suggestions and reminders leave out what does not suit you, at the office "
                "and at home."
            ),
            optional=True,
        )
    ]
    if hidden:
        shown = [
            Option(value=a.id, label=_shorten(localized(a).title))
            for a in hidden[:MAX_HIDDEN_SHOWN]
        ]
        blocks.append(
            InputBlock(
                block_id=HIDDEN_BLOCK,
                label=_("Hidden with Not for me"),
                element=StaticMultiSelectElement(
                    action_id=HIDDEN_BLOCK,
                    placeholder=_("Nothing hidden"),
                    options=shown,
                    initial_options=shown,
                ),
                hint=_("Remove one to see it again."),
                optional=True,
            )
        )
    return blocks


def read_fit_settings(
    state_values: Any, view_blocks: Any
) -> tuple[frozenset[Restriction], frozenset[str]] | dict[str, str]:
    """(restrictions, ids to bring back) from a Settings submission, or errors by block id.
    What was hidden is read from the options the modal offered, so something hidden after the
    modal was opened stays hidden."""
    values = state_values if isinstance(state_values, dict) else {}
    restrictions = _selected(values, RESTRICTIONS_BLOCK)
    if restrictions is None or not restrictions <= set(RESTRICTIONS):
        return {RESTRICTIONS_BLOCK: _("Tick the boxes that apply to you, or none.")}
    offered = _offered(view_blocks)
    kept = _selected(values, HIDDEN_BLOCK) if offered else frozenset()
    if kept is None or not kept <= offered:
        return {HIDDEN_BLOCK: _("Keep or remove the exercises listed here.")}
    return cast(frozenset[Restriction], restrictions), offered - kept


def with_note(message: Message, note: str) -> Message:
    """``message`` with a line on top saying why it shows what it shows."""
    line = context(note).to_dict()
    return Message(text=f"{note} {message.text}", blocks=[line, *message.blocks])


def card_for(
    choice: Choice | None,
    card: str,
    source: str,
    nudge_id: int | None = None,
    *,
    offer_reminders: bool = False,
) -> Message:
    """The card for what the picker chose, saying why when it is a movement break instead of an
    exercise; the nothing-fits answer when it chose nothing."""
    if choice is None:
        return nothing_fits_message()
    if isinstance(choice.activity, Exercise):
        message = exercise_card(
            choice.activity, card, source, nudge_id, offer_reminders=offer_reminders
        )
    else:
        message = activity_card(choice.activity, card, source, nudge_id)
    return message if choice.reason is None else with_note(message, choice.reason)


def nothing_fits_message() -> Message:
    nothing_fits = _(NOTHING_FITS)
    return Message.build(
        nothing_fits,
        [
            section(nothing_fits),
            ActionsBlock(elements=[button(_("Settings"), OPEN_SETTINGS, "open")]),
        ],
    )


def hidden_note(activity: Activity) -> str:
    return _(
        ":see_no_evil: Hidden *{title}*: I won't suggest it again. "
        "`/stretch settings` can bring it back. Here is another one.",
        title=localized(activity).title,
    )


def ruled_out_search_note(words: str, ruled_out: Sequence[tuple[Activity, str]]) -> str:
    """For a search that matched only what does not suit the person: what and why."""
    reasons = _("; ").join(
        _("*{title}* ({why})", title=localized(activity).title, why=why)
        for activity, why in ruled_out[:3]
    )
    return _(
        "“{words}” matches only what does not suit you: {reasons}. Here is one that does.",
        words=escape(words),
        reasons=reasons,
    )[:2000]


def _selected(values: dict[Any, Any], block_id: str) -> frozenset[str] | None:
    """The values chosen in a checkbox or multi-select; empty when left alone, None when
    unreadable (a tampered submission)."""
    block = values.get(block_id)
    if block is None:
        return frozenset()
    action = block.get(block_id) if isinstance(block, dict) else None
    options = action.get("selected_options") if isinstance(action, dict) else None
    if options is None:
        return frozenset()
    if not isinstance(options, list):
        return None
    chosen = [o.get("value") if isinstance(o, dict) else None for o in options]
    if not all(isinstance(value, str) for value in chosen):
        return None
    return frozenset(chosen)


def _offered(view_blocks: Any) -> frozenset[str]:
    """The ids the modal's hidden list offered."""
    for block in view_blocks if isinstance(view_blocks, list) else ():
        if isinstance(block, dict) and block.get("block_id") == HIDDEN_BLOCK:
            element = block.get("element")
            options = element.get("options") if isinstance(element, dict) else None
            return frozenset(
                o["value"]
                for o in options or ()
                if isinstance(o, dict) and isinstance(o.get("value"), str)
            )
    return frozenset()


def _shorten(title: str) -> str:
    return title if len(title) <= OPTION_TEXT else title[: OPTION_TEXT - 1] + "…"
