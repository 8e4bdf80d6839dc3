"""Reading what the app answered: ephemeral acks, their buttons, the modal it opened, and what
Slack would submit for that modal untouched."""

from __future__ import annotations

from typing import Any

from tests.support.reminder_helpers import wait_for
from tests.support.slack_limits import message_problems, view_problems


def ack_body(reply) -> dict:
    """The ephemeral answer a slash command got in its ack, checked against Block Kit limits."""
    assert reply.status == 200, reply.body
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert message_problems(body) == []
    return body


def button(body: dict, action_id: str) -> dict:
    """The button (an action element or a section's accessory) with this `action_id`."""
    for block in body["blocks"]:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no {action_id} button")


def button_value(message: dict, action_id: str) -> str:
    """The value of an actions block's button in a posted message."""
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return element["value"]
    raise AssertionError(f"no {action_id} button in {message['text']!r}")


def opened_view(fake_slack) -> dict:
    """The modal the app last opened (views.open), checked against Block Kit limits."""
    wait_for(lambda: fake_slack.calls_to("views.open"))
    view = fake_slack.last_call("views.open").params["view"]
    assert view_problems(view) == []
    return view


def initial_state(view: dict[str, Any]) -> dict[str, Any]:
    """The ``state.values`` Slack sends when the modal is submitted untouched."""
    answers = {
        "checkboxes": lambda e: {"selected_options": e.get("initial_options", [])},
        "multi_static_select": lambda e: {"selected_options": e.get("initial_options", [])},
        "timepicker": lambda e: {"selected_time": e.get("initial_time")},
        "datepicker": lambda e: {"selected_date": e.get("initial_date")},
        "static_select": lambda e: {"selected_option": e.get("initial_option")},
        "radio_buttons": lambda e: {"selected_option": e.get("initial_option")},
        "plain_text_input": lambda e: {"value": e.get("initial_value")},
    }
    values = {}
    for block in view["blocks"]:
        element = block["element"]
        answer = answers[element["type"]](element)
        values[block["block_id"]] = {element["action_id"]: {"type": element["type"], **answer}}
    return values
