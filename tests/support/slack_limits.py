"""Block Kit limits that Slack enforces, as pure checks for tests.

`slack_sdk.models` checks most lengths when a message is built through it, but not the block
caps and never plain dicts, so every message and view the app builds is checked here (and by
the fake Web API in `tests/support/fake_slack.py`, which rejects what fails).

Both entry points return a list of problems, empty when the payload is fine. Each problem
names where it is, e.g. ``blocks[3].text: 3012 > 3000 characters``. Blocks (and a whole view)
may be given as JSON strings, as they arrive in form-encoded request bodies.
"""

import json
from collections.abc import Callable
from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_ID = 255
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_LABEL = 2000
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_OPTION_GROUPS = 100
MAX_OPTION_GROUP_LABEL = 75
MAX_PLACEHOLDER = 150
MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30
MAX_OPTIONS = {
    "static_select": 100,
    "multi_static_select": 100,
    "overflow": 5,
    "checkboxes": 10,
    "radio_buttons": 10,
}
MAX_VIEW_TITLE = 24
MAX_VIEW_BUTTON = 24
MAX_PRIVATE_METADATA = 3000
TEXT_TYPES = ("plain_text", "mrkdwn")

Problems = list[str]


def message_problems(payload: dict) -> Problems:
    """Problems of a chat.postMessage / chat.update / chat.postEphemeral / response_url body."""
    blocks, problems = _decoded(payload.get("blocks"), "blocks")
    if not blocks or problems:
        return problems
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append("text: a non-empty fallback is required when blocks are given")
    return problems + _blocks_problems(blocks, MAX_MESSAGE_BLOCKS)


def view_problems(view: dict | str) -> Problems:
    """Problems of a modal or Home tab view (views.open / views.update / views.publish)."""
    view, problems = _decoded(view, "view")
    if problems:
        return problems
    if not isinstance(view, dict):
        return ["view: must be an object"]
    blocks, undecodable = _decoded(view.get("blocks"), "blocks")
    problems = list(undecodable)
    kind = view.get("type")
    if kind == "modal":
        problems += _modal_problems(view, blocks)
    elif kind != "home":
        problems.append(f"type: {kind!r} is not modal or home")
    problems += _too_long("callback_id", view.get("callback_id"), MAX_ID)
    problems += _too_long("private_metadata", view.get("private_metadata"), MAX_PRIVATE_METADATA)
    if undecodable:
        return problems
    return problems + _blocks_problems(blocks, MAX_VIEW_BLOCKS)


def _modal_problems(view: dict, blocks: Any) -> Problems:
    problems = _text_problems("title", view.get("title"), MAX_VIEW_TITLE, plain_only=True)
    for name in ("submit", "close"):
        if name in view:
            problems += _text_problems(name, view[name], MAX_VIEW_BUTTON, plain_only=True)
    has_input = isinstance(blocks, list) and any(_type_of(b) == "input" for b in blocks)
    if has_input and "submit" not in view:
        problems.append("submit: required in a modal with input blocks")
    return problems


def _blocks_problems(blocks: Any, max_blocks: int) -> Problems:
    if not isinstance(blocks, list):
        return ["blocks: must be a list"]
    problems = []
    if len(blocks) > max_blocks:
        problems.append(f"blocks: {len(blocks)} > {max_blocks} blocks")
    for index, block in enumerate(blocks):
        problems += _block_problems(f"blocks[{index}]", block)
    return problems + _duplicates(blocks, "block_id", "blocks")


def _block_problems(where: str, block: Any) -> Problems:
    if not isinstance(block, dict):
        return [f"{where}: must be an object"]
    check = _BLOCK_CHECKS.get(block.get("type"))
    if check is None:
        return [f"{where}.type: unknown block type {block.get('type')!r}"]
    return _too_long(f"{where}.block_id", block.get("block_id"), MAX_ID) + check(where, block)


def _section_problems(where: str, block: dict) -> Problems:
    if "text" not in block and "fields" not in block:
        return [f"{where}: a section needs text or fields"]
    problems = []
    if "text" in block:
        problems += _text_problems(f"{where}.text", block["text"], MAX_SECTION_TEXT)
    if "fields" in block:
        fields = block["fields"]
        problems += _count(f"{where}.fields", fields, MAX_SECTION_FIELDS, "fields")
        for index, field in enumerate(fields if isinstance(fields, list) else []):
            problems += _text_problems(f"{where}.fields[{index}]", field, MAX_FIELD_TEXT)
    if "accessory" in block:
        problems += _element_problems(f"{where}.accessory", block["accessory"])
    return problems


def _header_problems(where: str, block: dict) -> Problems:
    return _text_problems(f"{where}.text", block.get("text"), MAX_HEADER_TEXT, plain_only=True)


def _divider_problems(where: str, block: dict) -> Problems:
    return []


def _context_problems(where: str, block: dict) -> Problems:
    elements = block.get("elements")
    problems = _count(f"{where}.elements", elements, MAX_CONTEXT_ELEMENTS, "elements")
    for index, element in enumerate(elements if isinstance(elements, list) else []):
        if _type_of(element) != "image":
            problems += _text_problems(f"{where}.elements[{index}]", element, MAX_SECTION_TEXT)
    return problems


def _actions_problems(where: str, block: dict) -> Problems:
    elements = block.get("elements")
    problems = _count(f"{where}.elements", elements, MAX_ACTIONS_ELEMENTS, "elements")
    if not isinstance(elements, list):
        return problems
    for index, element in enumerate(elements):
        problems += _element_problems(f"{where}.elements[{index}]", element)
    return problems + _duplicates(elements, "action_id", f"{where}.elements")


def _image_problems(where: str, block: dict) -> Problems:
    problems = []
    if "image_url" not in block and "slack_file" not in block:
        problems.append(f"{where}: an image needs image_url or slack_file")
    alt_text = block.get("alt_text")
    if not isinstance(alt_text, str) or not alt_text:
        problems.append(f"{where}.alt_text: must be a non-empty string")
    return problems + _too_long(f"{where}.image_url", block.get("image_url"), MAX_URL)


def _input_problems(where: str, block: dict) -> Problems:
    problems = _text_problems(f"{where}.label", block.get("label"), MAX_LABEL, plain_only=True)
    if "hint" in block:
        problems += _text_problems(f"{where}.hint", block["hint"], MAX_LABEL, plain_only=True)
    return problems + _element_problems(f"{where}.element", block.get("element"))


def _rich_text_problems(where: str, block: dict) -> Problems:
    if not isinstance(block.get("elements"), list):
        return [f"{where}.elements: must be a list"]
    return []


_BLOCK_CHECKS: dict[str, Callable[[str, dict], Problems]] = {
    "section": _section_problems,
    "header": _header_problems,
    "divider": _divider_problems,
    "context": _context_problems,
    "actions": _actions_problems,
    "image": _image_problems,
    "input": _input_problems,
    "rich_text": _rich_text_problems,
}


def _element_problems(where: str, element: Any) -> Problems:
    """Checks an interactive element (button, select, date picker, ...)."""
    if not isinstance(element, dict):
        return [f"{where}: must be an object"]
    problems = _too_long(f"{where}.action_id", element.get("action_id"), MAX_ID)
    kind = element.get("type")
    if kind == "button":
        problems += _button_problems(where, element)
    if kind in MAX_OPTIONS and "options" in element:
        problems += _options_problems(where, element, MAX_OPTIONS[kind])
    if "option_groups" in element:
        problems += _option_groups_problems(where, element)
    if "placeholder" in element:
        problems += _text_problems(
            f"{where}.placeholder", element["placeholder"], MAX_PLACEHOLDER, plain_only=True
        )
    if "confirm" in element:
        problems += _confirm_problems(f"{where}.confirm", element["confirm"])
    return problems


def _button_problems(where: str, button: dict) -> Problems:
    return (
        _text_problems(f"{where}.text", button.get("text"), MAX_BUTTON_TEXT, plain_only=True)
        + _too_long(f"{where}.value", button.get("value"), MAX_BUTTON_VALUE)
        + _too_long(f"{where}.url", button.get("url"), MAX_URL)
    )


def _options_problems(where: str, element: dict, max_options: int) -> Problems:
    options = element["options"]
    problems = _count(f"{where}.options", options, max_options, "options")
    if not isinstance(options, list):
        return problems
    for index, option in enumerate(options):
        problems += _option_problems(f"{where}.options[{index}]", option)
    initial = element.get("initial_option")
    if initial is not None and initial not in options:
        problems.append(f"{where}.initial_option: must be one of the options")
    return problems


def _option_groups_problems(where: str, element: dict) -> Problems:
    """A select's options in groups: at most 100 groups of at most 100 options, each group
    with a label of at most 75 characters."""
    groups = element["option_groups"]
    problems = _count(f"{where}.option_groups", groups, MAX_OPTION_GROUPS, "groups")
    if not isinstance(groups, list):
        return problems
    offered = []
    for index, group in enumerate(groups):
        here = f"{where}.option_groups[{index}]"
        if not isinstance(group, dict):
            problems.append(f"{here}: must be an object")
            continue
        problems += _text_problems(
            f"{here}.label", group.get("label"), MAX_OPTION_GROUP_LABEL, plain_only=True
        )
        options = group.get("options")
        problems += _count(f"{here}.options", options, MAX_OPTIONS["static_select"], "options")
        for number, option in enumerate(options if isinstance(options, list) else []):
            problems += _option_problems(f"{here}.options[{number}]", option)
            offered.append(option)
    initial = element.get("initial_option")
    if initial is not None and initial not in offered:
        problems.append(f"{where}.initial_option: must be one of the options")
    return problems


def _confirm_problems(where: str, confirm: Any) -> Problems:
    """The dialog Slack shows before a click reaches the app."""
    if not isinstance(confirm, dict):
        return [f"{where}: must be an object"]
    problems = _text_problems(
        f"{where}.title", confirm.get("title"), MAX_CONFIRM_TITLE, plain_only=True
    )
    problems += _text_problems(f"{where}.text", confirm.get("text"), MAX_CONFIRM_TEXT)
    for name in ("confirm", "deny"):
        problems += _text_problems(
            f"{where}.{name}", confirm.get(name), MAX_CONFIRM_BUTTON, plain_only=True
        )
    return problems


def _option_problems(where: str, option: Any) -> Problems:
    if not isinstance(option, dict):
        return [f"{where}: must be an object"]
    problems = _text_problems(f"{where}.text", option.get("text"), MAX_OPTION_TEXT)
    if "description" in option:
        problems += _text_problems(f"{where}.description", option["description"], MAX_OPTION_TEXT)
    return problems + _too_long(f"{where}.value", option.get("value"), MAX_OPTION_VALUE)


def _text_problems(where: str, obj: Any, max_chars: int, *, plain_only: bool = False) -> Problems:
    """Checks a text object: its type, a non-empty `text`, and the length limit."""
    if not isinstance(obj, dict):
        return [f"{where}: must be a text object"]
    kind = obj.get("type")
    if kind not in TEXT_TYPES:
        return [f"{where}.type: {kind!r} is not plain_text or mrkdwn"]
    if plain_only and kind != "plain_text":
        return [f"{where}.type: must be plain_text"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"{where}.text: must be a non-empty string"]
    return _too_long(where, text, max_chars)


def _too_long(where: str, value: Any, max_chars: int) -> Problems:
    if isinstance(value, str) and len(value) > max_chars:
        return [f"{where}: {len(value)} > {max_chars} characters"]
    return []


def _count(where: str, items: Any, max_items: int, noun: str) -> Problems:
    if not isinstance(items, list) or not items:
        return [f"{where}: must be a non-empty list"]
    if len(items) > max_items:
        return [f"{where}: {len(items)} > {max_items} {noun}"]
    return []


def _duplicates(items: list, key: str, where: str) -> Problems:
    """Reports items whose `key` repeats an earlier item's."""
    first_seen: dict[str, int] = {}
    problems = []
    for index, item in enumerate(items):
        value = item.get(key) if isinstance(item, dict) else None
        if value is None:
            continue
        if value in first_seen:
            problems.append(
                f"{where}[{index}].{key}: duplicate {value!r} (also {where}[{first_seen[value]}])"
            )
        else:
            first_seen[value] = index
    return problems


def _decoded(value: Any, where: str) -> tuple[Any, Problems]:
    """Parses a JSON string (as form bodies carry blocks and views); other values pass."""
    if not isinstance(value, str):
        return value, []
    try:
        return json.loads(value), []
    except json.JSONDecodeError as error:
        return None, [f"{where}: not valid JSON ({error.msg})"]


def _type_of(item: Any) -> Any:
    return item.get("type") if isinstance(item, dict) else None
