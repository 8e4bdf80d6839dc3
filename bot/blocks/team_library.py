"""The team library view (`/stretch library`, the Home tab's Manage button), the import modal
and the answers of `/stretch library …`."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from bot.blocks.ids import LIBRARY_ADD, LIBRARY_DELETE, LIBRARY_EDIT, LIBRARY_HIDE, LIBRARY_SHOW
from bot.blocks.message import Message, button, context, encode_value, escape, notice, section
from bot.domain.content import localized
from bot.domain.team_library import SECTION_LENGTH, Entry, Overview, Refusal

IMPORT_CALLBACK = "library_import_submit"
IMPORT_BLOCK = "library_yaml"
# Slack's plain-text input holds at most 3000 characters.
IMPORT_LENGTH = 3000
# Two blocks per exercise, under the 50 of a message with the header and the footer.
VIEW_ROWS = 22
PROBLEMS_SHOWN = 25

USAGE = (
    "`/stretch library` (the library), `/stretch library add`, `/stretch library export`, "
    "`/stretch library import`, `/stretch library everyone on|off` (admins)"
)


def library_view(overview: Overview) -> Message:
    """Every exercise of the workspace with what the viewer may do: Edit, Hide / Show and
    Delete for a team exercise (its author or an admin), Hide / Show for a seed one (admins)."""
    who_adds = "everyone" if overview.everyone_may_add else "admins only"
    blocks: list[Block] = [
        HeaderBlock(text="Team library"),
        context(
            f"Seed exercises and your team's own. Who may add: {who_adds}"
            + (" — `/stretch library everyone on|off` changes it." if overview.admin else ".")
        ),
    ]
    if overview.may_add:
        blocks.append(
            ActionsBlock(
                block_id="library_add",
                elements=[button("Add an exercise", LIBRARY_ADD, "add", style="primary")],
            )
        )
    blocks.append(DividerBlock())
    for entry in overview.entries[:VIEW_ROWS]:
        blocks += _entry_blocks(entry)
    rest = overview.entries[VIEW_ROWS:]
    if rest:
        names = ", ".join(localized(entry.exercise).title for entry in rest)
        blocks.append(context(f"Also: {names}"[:1900] + " — `/stretch library export` has all."))
    count = len(overview.entries)
    return Message.build(f"Team library: {count} exercises", blocks)


def _entry_blocks(entry: Entry) -> list[Block]:
    exercise = localized(entry.exercise)  # a seed exercise translated; a team's as written
    state = " · _hidden_" if entry.hidden else ""
    kind = exercise.source.credit if entry.team else f"Seed · {exercise.source.credit}"
    text = f"*{exercise.title}*{state}\n{kind}"[:SECTION_LENGTH]
    blocks: list[Block] = [section(text)]
    buttons: list[ButtonElement] = []
    value = {"exercise": exercise.id}
    if entry.may_edit:
        buttons.append(button("Edit", LIBRARY_EDIT, value))
    if entry.may_hide:
        buttons.append(
            button("Show", LIBRARY_SHOW, value)
            if entry.hidden
            else button("Hide", LIBRARY_HIDE, value)
        )
    if entry.team and entry.may_edit:
        buttons.append(_delete_button(exercise.id, exercise.title))
    if buttons:
        blocks.append(ActionsBlock(block_id=f"library_row:{exercise.id}", elements=buttons))
    return blocks


def _delete_button(exercise_id: str, title: str) -> ButtonElement:
    """Slack asks "Delete …?" before the click reaches the app."""
    return ButtonElement(
        text="Delete",
        action_id=LIBRARY_DELETE,
        value=encode_value({"exercise": exercise_id}),
        style="danger",
        confirm=ConfirmObject(
            title="Delete this exercise?",
            text=f"“{title[:120]}” leaves the team library for good. Hide it to keep it.",
            confirm="Delete",
            deny="Keep it",
            style="danger",
        ),
    )


def import_modal() -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=IMPORT_CALLBACK,
        title="Import exercises",
        submit="Import",
        close="Cancel",
        blocks=[
            section(
                "Paste exercises in the format of `/stretch library export` (the format of "
                "`content/exercises`): one per YAML document, `---` between them. An exercise "
                "with the id of one of yours replaces it; if any entry has a problem, nothing "
                "is saved."
            ),
            InputBlock(
                block_id=IMPORT_BLOCK,
                label="Exercises (YAML)",
                element=PlainTextInputElement(
                    action_id=IMPORT_BLOCK, multiline=True, max_length=IMPORT_LENGTH
                ),
            ),
        ],
    )
    return view.to_dict()


def import_problems_text(problems: list[str]) -> str:
    """The problems of an import, one line each, short enough for a modal's error."""
    shown = problems[:PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    text = "Nothing was imported. " + "; ".join(shown) + (f"; and {more} more" if more else "")
    return text[:1900]


def import_problems_message(problems: list[str]) -> Message:
    shown = "\n".join(f"• {escape(problem)}" for problem in problems[:PROBLEMS_SHOWN])
    more = len(problems) - PROBLEMS_SHOWN
    tail = f"\n…and {more} more" if more > 0 else ""
    text = f"*Nothing was imported* — {len(problems)} problems:\n{shown}{tail}"
    return Message.build("Nothing was imported", [section(text[:SECTION_LENGTH])])


def imported_message(added: int, replaced: int) -> Message:
    return notice(
        f":white_check_mark: Imported into the team library: {added} added, {replaced} replaced."
    )


def saved_message(title: str, edited: bool) -> Message:
    verb = "updated" if edited else "added to the team library"
    return notice(
        f":white_check_mark: *{escape(title)}* {verb}. It shows up in `/stretch`, "
        "`/stretch list`, reminders and challenges."
    )


REFUSALS = {
    Refusal.NOT_ADMIN: "Only a workspace admin can do that.",
    Refusal.ADDING_CLOSED: (
        "Only workspace admins can add exercises here. An admin can let everyone add them "
        "with `/stretch library everyone on`."
    ),
    Refusal.NOT_YOURS: "Only the person who added this exercise, or an admin, can change it.",
    Refusal.UNKNOWN: "That exercise isn't in this workspace's library (any more).",
}


def refusal_message(refusal: Refusal) -> Message:
    return notice(REFUSALS[refusal])
