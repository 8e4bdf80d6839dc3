"""The Language field of the Settings modal ("Slack's language" and the six) and of the Admin
modal (the workspace default: the six), and the reader of their answers. Like
`bot.blocks.settings`, the input's ``action_id`` is its ``block_id``."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import InputBlock, Option, StaticSelectElement

from bot.domain.i18n import ENGLISH, LANGUAGES, _
from bot.domain.languages import FOLLOW_SLACK

LANGUAGE_BLOCK = "language"

Errors = dict[str, str]


def language_block(
    chosen: str | None, slack_language: str | None = None, *, for_workspace: bool = False
) -> InputBlock:
    """The select, showing `chosen` (None: following Slack). ``for_workspace``: the Admin modal's
    workspace default, which has no Slack language to follow (None there means English)."""
    options = [Option(value=code, label=name) for code, name in LANGUAGES.items()]
    if not for_workspace:
        follow = (
            _("Slack's language ({name})", name=LANGUAGES[slack_language])
            if slack_language in LANGUAGES
            else _("Slack's language")
        )
        options.insert(0, Option(value=FOLLOW_SLACK, label=follow))
    current = chosen if chosen in LANGUAGES else (ENGLISH if for_workspace else FOLLOW_SLACK)
    initial = next(option for option in options if option.value == current)
    hint = (
        _(
            "For everyone who has not chosen their own language, and for challenges and group "
            "breaks."
        )
        if for_workspace
        else _("The language I speak to you in. Slack's language follows your Slack settings.")
    )
    return InputBlock(
        block_id=LANGUAGE_BLOCK,
        label=_("Default language") if for_workspace else _("Language"),
        element=StaticSelectElement(
            action_id=LANGUAGE_BLOCK, options=options, initial_option=initial
        ),
        hint=hint,
    )


def read_language(state_values: Any, *, for_workspace: bool = False) -> str | Errors | None:
    """A language code, `FOLLOW_SLACK` (Settings only), or an error keyed by the block id for a
    forged answer. None when the modal had no Language field (opened before it existed): no
    change. For the workspace, English is None too: no default, as before any admin chose one."""
    values = state_values if isinstance(state_values, dict) else {}
    if LANGUAGE_BLOCK not in values:
        return None
    block = values.get(LANGUAGE_BLOCK)
    action = block.get(LANGUAGE_BLOCK) if isinstance(block, dict) else None
    option = action.get("selected_option") if isinstance(action, dict) else None
    value = option.get("value") if isinstance(option, dict) else None
    if for_workspace and value == ENGLISH:
        return None
    if value in LANGUAGES or (value == FOLLOW_SLACK and not for_workspace):
        return value
    return {LANGUAGE_BLOCK: _("Choose a language from the list.")}
