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
    InputBlock,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from bot.blocks.ids import LIBRARY_ADD, LIBRARY_DELETE, LIBRARY_EDIT, LIBRARY_HIDE, LIBRARY_SHOW
from bot.blocks.message import (
    Message,
    button,
    context,
    encode_value,
    escape,
    header,
    notice,
    section,
)
from bot.domain.content import localized
from bot.domain.i18n import N_, _, ngettext
from bot.domain.team_library import SECTION_LENGTH, Entry, Overview, Refusal

IMPORT_CALLBACK = "library_import_submit"
IMPORT_BLOCK = "library_yaml"
# Slack's plain-text input holds at most 3000 characters.
IMPORT_LENGTH = 3000
# Two blocks per exercise, under the 50 of a message with the header and the footer.
VIEW_ROWS = 22
PROBLEMS_SHOWN = 25
# The titles past VIEW_ROWS, named in one context element under its 3000 characters.
REST_LENGTH = 1894

# In English; shown through `_`.
USAGE = N_(
    "`/stretch library` (the library), `/stretch library add`, `/stretch library export`, "
    "`/stretch library import`, `/stretch library everyone on|off` (admins)"
)


def library_view(overview: Overview) -> Message:
    """Every exercise of the workspace with what the viewer may do: Edit, Hide / Show and
    Delete for a team exercise (its author or an admin), Hide / Show for a seed one (admins)."""
    blocks: list[Block] = [header(_("Team library")), context(_who_adds(overview))]
    if overview.may_add:
        blocks.append(
            ActionsBlock(
                block_id="library_add",
                elements=[button(_("Add an exercise"), LIBRARY_ADD, "add", style="primary")],
            )
        )
    blocks.append(DividerBlock())
    for entry in overview.entries[:VIEW_ROWS]:
        blocks += _entry_blocks(entry)
    rest = overview.entries[VIEW_ROWS:]
    if rest:
        names = ", ".join(localized(entry.exercise).title for entry in rest)[:REST_LENGTH]
        blocks.append(context(_("Also: {names} — `/stretch library export` has all.", names=names)))
    count = len(overview.entries)
    text = ngettext("Team library: {n} exercise", "Team library: {n} exercises", count)
    return Message.build(text, blocks)


def _who_adds(overview: Overview) -> str:
    if overview.everyone_may_add and overview.admin:
        return _(
            "Seed exercises and your team's own. Who may add: everyone — "
            "`/stretch library everyone on|off` changes it."
        )
    if overview.everyone_may_add:
        return _("Seed exercises and your team's own. Who may add: everyone.")
    if overview.admin:
        return _(
            "Seed exercises and your team's own. Who may add: admins only — "
            "`/stretch library everyone on|off` changes it."
        )
    return _("Seed exercises and your team's own. Who may add: admins only.")


def _entry_blocks(entry: Entry) -> list[Block]:
    exercise = localized(entry.exercise)  # a seed exercise translated; a team's as written
    title = f"*{exercise.title}*"
    if entry.hidden:
        title = _("{title} · _hidden_", title=title)
    credit = exercise.source.credit
    kind = credit if entry.team else _("Seed · {credit}", credit=credit)
    text = f"{title}\n{kind}"[:SECTION_LENGTH]
    blocks: list[Block] = [section(text)]
    buttons: list[ButtonElement] = []
    value = {"exercise": exercise.id}
    if entry.may_edit:
        buttons.append(button(_("Edit"), LIBRARY_EDIT, value))
    if entry.may_hide:
        buttons.append(
            button(_("Show"), LIBRARY_SHOW, value)
            if entry.hidden
            else button(_("Hide"), LIBRARY_HIDE, value)
        )
    if entry.team and entry.may_edit:
        buttons.append(_delete_button(exercise.id, exercise.title))
    if buttons:
        blocks.append(ActionsBlock(block_id=f"library_row:{exercise.id}", elements=buttons))
    return blocks


def _delete_button(exercise_id: str, title: str) -> ButtonElement:
    """Slack asks "Delete …?" before the click reaches the app."""
    return ButtonElement(
        text=_("Delete"),
        action_id=LIBRARY_DELETE,
        value=encode_value({"exercise": exercise_id}),
        style="danger",
        confirm=ConfirmObject(
            title=_("Delete this exercise?"),
            text=_(
                "“{title}” leaves the team library for good. Hide it to keep it.", title=title[:120]
            ),
            confirm=_("Delete"),
            deny=_("Keep it"),
            style="danger",
        ),
    )


def import_modal() -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=IMPORT_CALLBACK,
        title=_("Import exercises"),
        submit=_("Import"),
        close=_("Cancel"),
        blocks=[
            section(
                _(
                    "Paste exercises in the format of `/stretch library export` (the format of "
                    "`content/exercises`): one per YAML document, `---` between them. An exercise "
                    "with the id of one of yours replaces it; if any entry has a problem, nothing "
                    "is saved."
                )
            ),
            InputBlock(
                block_id=IMPORT_BLOCK,
                label=_("Exercises (YAML)"),
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
    listed = "; ".join(shown)
    if more:
        text = _("Nothing was imported. {problems}; and {more} more", problems=listed, more=more)
    else:
        text = _("Nothing was imported. {problems}", problems=listed)
    return text[:1900]


def import_problems_message(problems: list[str]) -> Message:
    shown = "\n".join(f"• {escape(problem)}" for problem in problems[:PROBLEMS_SHOWN])
    more = len(problems) - PROBLEMS_SHOWN
    lines = [
        ngettext(
            "*Nothing was imported* — {n} problem:",
            "*Nothing was imported* — {n} problems:",
            len(problems),
        ),
        shown,
    ]
    if more > 0:
        lines.append(_("…and {more} more", more=more))
    text = "\n".join(lines)
    return Message.build(_("Nothing was imported"), [section(text[:SECTION_LENGTH])])


def imported_message(added: int, replaced: int) -> Message:
    return notice(
        _(
            ":white_check_mark: Imported into the team library: {added} added, {replaced} "
            "replaced.",
            added=added,
            replaced=replaced,
        )
    )


def saved_message(title: str, edited: bool) -> Message:
    if edited:
        text = _(
            ":white_check_mark: *{title}* updated. It shows up in `/stretch`, `/stretch list`, "
            "reminders and challenges.",
            title=escape(title),
        )
    else:
        text = _(
            ":white_check_mark: *{title}* added to the team library. It shows up in "
            "`/stretch`, `/stretch list`, reminders and challenges.",
            title=escape(title),
        )
    return notice(text)


# In English; shown through `_`.
REFUSALS = {
    Refusal.NOT_ADMIN: N_("Only a workspace admin can do that."),
    Refusal.ADDING_CLOSED: N_(
        "Only workspace admins can add exercises here. An admin can let everyone add them "
        "with `/stretch library everyone on`."
    ),
    Refusal.NOT_YOURS: N_("Only the person who added this exercise, or an admin, can change it."),
    Refusal.UNKNOWN: N_("That exercise isn't in this workspace's library (any more)."),
}


def refusal_message(refusal: Refusal) -> Message:
    return notice(_(REFUSALS[refusal]))
