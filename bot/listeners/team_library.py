"""The team library in Slack: `/stretch library …`, the library view's buttons, the Add / Edit
and Import modals.

Buttons and view submissions carry an exercise id at most: the workspace is always the
requester's own and their rights are checked by the service, so a forged payload changes
nothing it could not change through the app itself.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.ids import (
    LIBRARY_ADD,
    LIBRARY_DELETE,
    LIBRARY_EDIT,
    LIBRARY_HIDE,
    LIBRARY_MANAGE,
    LIBRARY_SHOW,
)
from bot.blocks.message import Message, notice, read_value
from bot.blocks.team_library import (
    IMPORT_BLOCK,
    IMPORT_CALLBACK,
    REFUSALS,
    USAGE,
    import_modal,
    import_problems_message,
    import_problems_text,
    imported_message,
    library_view,
    refusal_message,
    saved_message,
)
from bot.blocks.team_library_form import (
    ADD_CALLBACK,
    EDIT_CALLBACK,
    TITLE,
    ExerciseForm,
    exercise_modal,
    parse_exercise_form,
)
from bot.domain.i18n import _
from bot.domain.people import SlackUser
from bot.domain.team_library import Refusal
from bot.listeners.identity import person_of
from bot.listeners.payloads import Json, mapping, text
from bot.slack.errors import error_code
from bot.slack.files import send_text_file

if TYPE_CHECKING:
    from bot.services.container import Services

logger = logging.getLogger(__name__)

EXPORT_FILENAME = "stretch-team-library.yaml"


def library_command(
    services: Services, who: SlackUser, argument: str, trigger_id: str, client: WebClient
) -> Message | None:
    """`/stretch library [add | export | import | everyone on|off]`, after the ack."""
    library = services.team_library
    words = argument.lower().split()
    match words:
        case []:
            return library_view(library.overview(who, client))
        case ["add"]:
            refusal = library.may_add(who, client)
            if refusal is not None:
                return refusal_message(refusal)
            client.views_open(trigger_id=trigger_id, view=exercise_modal())
            return None
        case ["import"]:
            refusal = library.may_import(who, client)
            if refusal is not None:
                return refusal_message(refusal)
            client.views_open(trigger_id=trigger_id, view=import_modal())
            return None
        case ["export"]:
            return _export(services, who, client)
        case ["everyone", ("on" | "off") as switch]:
            refusal = library.set_everyone_may_add(who, client, switch == "on")
            if refusal is not None:
                return refusal_message(refusal)
            if switch == "on":
                return notice(_("Everyone in this workspace can now add exercises to the library."))
            return notice(_("Only workspace admins can add exercises now."))
    return notice(
        _(
            "I don't know `/stretch library {argument}`. Try {usage}.",
            argument=argument,
            usage=_(USAGE),
        )
    )


def _export(services: Services, who: SlackUser, client: WebClient) -> Message:
    exported = services.team_library.export(who)
    if exported is None:
        return notice(
            _(
                "Your team library has no exercises of its own yet — "
                "`/stretch library add` adds one."
            )
        )
    try:
        send_text_file(
            client,
            who.user_id,
            EXPORT_FILENAME,
            exported,
            _(
                "Your team's exercises, in the format of `content/exercises`. "
                "`/stretch library import` takes them back."
            ),
        )
    except SlackApiError as error:
        code = error_code(error)
        logger.warning("library export upload failed: %s", code)
        if code == "missing_scope":
            return notice(
                _(
                    "I can't upload files here yet: an admin needs to reinstall the app so that "
                    "it may (the `files:write` permission)."
                )
            )
        return notice(_("Slack didn't take the file just now — please try again in a moment."))
    return notice(_("I've sent `{filename}` to our direct messages.", filename=EXPORT_FILENAME))


# --- buttons ------------------------------------------------------------------------------------


def _exercise_of(action: Json) -> str:
    return text(read_value(action.get("value")).get("exercise"))


def add_button(
    ack: Ack, body: Json, client: WebClient, respond: Respond, services: Services
) -> None:
    ack()
    who = person_of(body)
    refusal = services.team_library.may_add(who, client)
    if refusal is not None:
        respond(replace_original=False, **refusal_message(refusal).as_kwargs())
        return
    client.views_open(trigger_id=text(body.get("trigger_id")), view=exercise_modal())


def edit_button(
    ack: Ack, action: Json, body: Json, client: WebClient, respond: Respond, services: Services
) -> None:
    ack()
    who = person_of(body)
    editable = services.team_library.editable(who, client, _exercise_of(action))
    if isinstance(editable, Refusal):
        respond(replace_original=False, **refusal_message(editable).as_kwargs())
        return
    client.views_open(trigger_id=text(body.get("trigger_id")), view=exercise_modal(editable))


def _change_and_show(
    respond: Respond, services: Services, client: WebClient, who: SlackUser, refusal: Refusal | None
) -> None:
    """After a change from the library view: the view again, as it is now — or the refusal."""
    if refusal is not None:
        respond(replace_original=False, **refusal_message(refusal).as_kwargs())
        return
    view = library_view(services.team_library.overview(who, client))
    respond(replace_original=True, **view.as_kwargs())
    services.home.refresh(client, who)


def hide_button(
    ack: Ack, action: Json, body: Json, client: WebClient, respond: Respond, services: Services
) -> None:
    ack()
    who = person_of(body)
    hidden = mapping(action).get("action_id") == LIBRARY_HIDE
    refusal = services.team_library.set_hidden(who, client, _exercise_of(action), hidden)
    _change_and_show(respond, services, client, who, refusal)


def delete_button(
    ack: Ack, action: Json, body: Json, client: WebClient, respond: Respond, services: Services
) -> None:
    ack()
    who = person_of(body)
    refusal = services.team_library.delete(who, client, _exercise_of(action))
    _change_and_show(respond, services, client, who, refusal)


def manage_button(ack: Ack, body: Json, client: WebClient, services: Services) -> None:
    """From the Home tab, which has no response_url: the library view goes to the DM."""
    ack()
    who = person_of(body)
    view = library_view(services.team_library.overview(who, client))
    client.chat_postMessage(channel=who.user_id, **view.as_kwargs())


# --- modals -------------------------------------------------------------------------------------


def exercise_submitted(
    ack: Ack, body: Json, view: Json, client: WebClient, services: Services
) -> None:
    """Add or Edit: field errors keep the modal open; nothing is saved unless all is valid."""
    form = parse_exercise_form(mapping(view.get("state")).get("values"))
    if not isinstance(form, ExerciseForm):
        ack(response_action="errors", errors=form)
        return
    who = person_of(body)
    editing = view.get("callback_id") == EDIT_CALLBACK
    if editing:
        saved = services.team_library.edit(
            who, client, text(view.get("private_metadata")), form.exercise, form.from_physio
        )
    else:
        saved = services.team_library.add(
            who, client, form.exercise, form.from_physio, text(view.get("id"))
        )
    if isinstance(saved, Refusal):
        ack(response_action="errors", errors={TITLE: _(REFUSALS[saved])})
        return
    ack()
    client.chat_postMessage(channel=who.user_id, **saved_message(saved.title, editing).as_kwargs())
    services.home.refresh(client, who)


def import_submitted(
    ack: Ack, body: Json, view: Json, client: WebClient, services: Services
) -> None:
    values = mapping(mapping(view.get("state")).get("values"))
    pasted = text(mapping(mapping(values.get(IMPORT_BLOCK)).get(IMPORT_BLOCK)).get("value"))
    who = person_of(body)
    result = services.team_library.import_yaml(who, client, pasted)
    if isinstance(result, Refusal):
        ack(response_action="errors", errors={IMPORT_BLOCK: _(REFUSALS[result])})
        return
    if isinstance(result, list):
        ack(response_action="errors", errors={IMPORT_BLOCK: import_problems_text(result)})
        client.chat_postMessage(channel=who.user_id, **import_problems_message(result).as_kwargs())
        return
    ack()
    message = imported_message(result.added, result.replaced)
    client.chat_postMessage(channel=who.user_id, **message.as_kwargs())
    services.home.refresh(client, who)


def register(app: App) -> None:
    app.action(LIBRARY_ADD)(add_button)
    app.action(LIBRARY_EDIT)(edit_button)
    app.action(LIBRARY_HIDE)(hide_button)
    app.action(LIBRARY_SHOW)(hide_button)
    app.action(LIBRARY_DELETE)(delete_button)
    app.action(LIBRARY_MANAGE)(manage_button)
    app.view(ADD_CALLBACK)(exercise_submitted)
    app.view(EDIT_CALLBACK)(exercise_submitted)
    app.view(IMPORT_CALLBACK)(import_submitted)
