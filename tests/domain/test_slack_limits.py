"""The Block Kit limits checker that the fake Slack enforces (tests/support/slack_limits.py):
what Slack refuses, found without Slack."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from tests.support.block_kit import button, modal, section
from tests.support.slack_limits import message_problems, view_problems


def test_a_message_built_with_slack_sdk_models_passes():
    blocks = [
        HeaderBlock(text="Time to stretch"),
        SectionBlock(text=MarkdownTextObject(text="*Neck rolls* — 5 each way")),
        DividerBlock(),
        ContextBlock(elements=[MarkdownTextObject(text="Streak: 3 days")]),
        ActionsBlock(
            elements=[
                ButtonElement(text="Done", action_id="done", value="7"),
                ButtonElement(text="Another one", action_id="another", value="7"),
            ]
        ),
    ]

    payload = {"text": "Time to stretch", "blocks": [block.to_dict() for block in blocks]}

    assert message_problems(payload) == []


def test_blocks_may_arrive_as_a_json_string():
    blocks = [section("x" * 3012)] * 4

    assert message_problems({"text": "x", "blocks": json.dumps(blocks)})[3] == (
        "blocks[3].text: 3012 > 3000 characters"
    )
    assert message_problems({"text": "x", "blocks": "[{"})[0].startswith("blocks: not valid JSON")


def test_a_message_without_blocks_needs_no_checks():
    assert message_problems({"text": "hi"}) == []
    assert message_problems({"delete_original": True}) == []


def test_whitespace_is_not_a_fallback_text():
    assert message_problems({"text": "  ", "blocks": [section("x")]}) == [
        "text: a non-empty fallback is required when blocks are given"
    ]


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        (
            {"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11},
            "blocks[0].fields: 11 > 10 fields",
        ),
        (
            {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]},
            "blocks[0].fields[0]: 2001 > 2000 characters",
        ),
        ({"type": "section"}, "blocks[0]: a section needs text or fields"),
        (
            {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}},
            "blocks[0].text: 151 > 150 characters",
        ),
        (
            {"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}},
            "blocks[0].text.type: must be plain_text",
        ),
        (
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11},
            "blocks[0].elements: 11 > 10 elements",
        ),
        (
            {"type": "actions", "elements": [button(action_id=f"a{i}") for i in range(26)]},
            "blocks[0].elements: 26 > 25 elements",
        ),
        (
            {"type": "actions", "elements": [button(), button()]},
            "blocks[0].elements[1].action_id: duplicate 'done' (also blocks[0].elements[0])",
        ),
        (
            {"type": "actions", "elements": [button("b" * 76)]},
            "blocks[0].elements[0].text: 76 > 75 characters",
        ),
        (
            {"type": "actions", "elements": [button(value="v" * 2001)]},
            "blocks[0].elements[0].value: 2001 > 2000 characters",
        ),
        (
            {"type": "actions", "elements": [button(action_id="a" * 256)]},
            "blocks[0].elements[0].action_id: 256 > 255 characters",
        ),
        (section("x", block_id="b" * 256), "blocks[0].block_id: 256 > 255 characters"),
        (
            {"type": "section", "text": {"type": "markdown", "text": "x"}},
            "blocks[0].text.type: 'markdown' is not plain_text or mrkdwn",
        ),
        (
            {"type": "section", "text": {"type": "mrkdwn", "text": ""}},
            "blocks[0].text.text: must be a non-empty string",
        ),
        ({"type": "video"}, "blocks[0].type: unknown block type 'video'"),
        ({"type": "image", "image_url": "https://x"}, "blocks[0].alt_text: must be a non-empty"),
        (
            section("x", accessory=button("b" * 76)),
            "blocks[0].accessory.text: 76 > 75 characters",
        ),
    ],
)
def test_block_limits(block, problem):
    problems = message_problems({"text": "fallback", "blocks": [block]})

    assert len(problems) == 1
    assert problems[0].startswith(problem)


def test_block_ids_are_unique_in_a_message():
    blocks = [section("a", block_id="x"), {"type": "divider"}, section("b", block_id="x")]

    assert message_problems({"text": "t", "blocks": blocks}) == [
        "blocks[2].block_id: duplicate 'x' (also blocks[0])"
    ]


def test_select_options_and_initial_option():
    option = {"text": {"type": "plain_text", "text": "30 minutes"}, "value": "30"}
    select = {
        "type": "static_select",
        "action_id": "interval",
        "options": [option],
        "initial_option": {**option, "value": "45"},
    }

    problems = message_problems({"text": "t", "blocks": [section("Every", accessory=select)]})

    assert problems == ["blocks[0].accessory.initial_option: must be one of the options"]


@given(st.integers(min_value=1, max_value=3100))
def test_section_text_limit_boundary(length):
    problems = message_problems({"text": "t", "blocks": [section("x" * length)]})

    assert (problems != []) == (length > 3000)


def test_a_valid_modal_and_home_pass():
    settings = modal(
        submit={"type": "plain_text", "text": "Save"},
        close={"type": "plain_text", "text": "Cancel"},
        blocks=[
            {
                "type": "input",
                "block_id": "hours",
                "label": {"type": "plain_text", "text": "Work hours"},
                "element": {"type": "plain_text_input", "action_id": "start"},
            }
        ],
    )

    assert view_problems(settings) == []
    assert view_problems(json.dumps(settings)) == []
    assert view_problems({"type": "home", "blocks": [section("x")] * 100}) == []


@pytest.mark.parametrize(
    ("view", "problem"),
    [
        (modal(submit={"type": "plain_text", "text": "s" * 25}), "submit: 25 > 24 characters"),
        (modal(close={"type": "plain_text", "text": "c" * 25}), "close: 25 > 24 characters"),
        (modal(title={"type": "mrkdwn", "text": "*Hi*"}), "title.type: must be plain_text"),
        ({"type": "modal", "blocks": []}, "title: must be a text object"),
        ({"type": "home", "blocks": [section("x")] * 101}, "blocks: 101 > 100 blocks"),
        ({"type": "page", "blocks": []}, "type: 'page' is not modal or home"),
        ({"type": "home"}, "blocks: must be a list"),
        (modal(private_metadata="m" * 3001), "private_metadata: 3001 > 3000 characters"),
        (
            modal(
                blocks=[
                    {
                        "type": "input",
                        "label": {"type": "plain_text", "text": "Hours"},
                        "element": {"type": "plain_text_input", "action_id": "a"},
                    }
                ]
            ),
            "submit: required in a modal with input blocks",
        ),
    ],
)
def test_view_limits(view, problem):
    assert view_problems(view) == [problem]


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _option(text: str = "30 minutes", value: str = "30", **extra) -> dict:
    return {"text": _plain(text), "value": value, **extra}


def _select(**extra) -> dict:
    return {"type": "static_select", "action_id": "pick", **extra}


def _confirm(**extra) -> dict:
    return {
        "title": _plain("Delete this exercise?"),
        "text": _plain("It leaves the team library for good."),
        "confirm": _plain("Delete"),
        "deny": _plain("Keep it"),
        **extra,
    }


# What grows in translation, beyond the blocks' own texts above.
@pytest.mark.parametrize(
    ("element", "problem"),
    [
        (
            _select(placeholder=_plain("p" * 151), options=[_option()]),
            "blocks[0].accessory.placeholder: 151 > 150 characters",
        ),
        (
            {"type": "datepicker", "action_id": "day", "placeholder": _plain("")},
            "blocks[0].accessory.placeholder.text: must be a non-empty string",
        ),
        (
            _select(options=[_option("o" * 76)]),
            "blocks[0].accessory.options[0].text: 76 > 75 characters",
        ),
        (
            _select(options=[_option(description=_plain("d" * 76))]),
            "blocks[0].accessory.options[0].description: 76 > 75 characters",
        ),
        (
            _select(option_groups=[{"label": _plain("g" * 76), "options": [_option()]}]),
            "blocks[0].accessory.option_groups[0].label: 76 > 75 characters",
        ),
        (
            _select(option_groups=[{"label": _plain("A"), "options": [_option("o" * 76)]}]),
            "blocks[0].accessory.option_groups[0].options[0].text: 76 > 75 characters",
        ),
        (
            _select(option_groups=[{"label": _plain("A"), "options": [_option()]}] * 101),
            "blocks[0].accessory.option_groups: 101 > 100 groups",
        ),
        (
            _select(
                option_groups=[{"label": _plain("A"), "options": [_option()]}],
                initial_option=_option(value="45"),
            ),
            "blocks[0].accessory.initial_option: must be one of the options",
        ),
        (
            button(confirm=_confirm(title=_plain("t" * 101))),
            "blocks[0].accessory.confirm.title: 101 > 100 characters",
        ),
        (
            button(confirm=_confirm(text=_plain("t" * 301))),
            "blocks[0].accessory.confirm.text: 301 > 300 characters",
        ),
        (
            button(confirm=_confirm(confirm=_plain("c" * 31))),
            "blocks[0].accessory.confirm.confirm: 31 > 30 characters",
        ),
        (
            button(confirm=_confirm(deny=_plain("d" * 31))),
            "blocks[0].accessory.confirm.deny: 31 > 30 characters",
        ),
    ],
)
def test_element_limits(element, problem):
    assert message_problems({"text": "t", "blocks": [section("Pick", accessory=element)]}) == [
        problem
    ]


def test_grouped_options_and_a_confirmation_within_the_limits_pass():
    select = _select(
        placeholder=_plain("p" * 150),
        option_groups=[{"label": _plain("g" * 75), "options": [_option("o" * 75)] * 100}] * 100,
        initial_option=_option("o" * 75),
    )
    confirmed = button(
        confirm=_confirm(
            title=_plain("t" * 100),
            text=_plain("t" * 300),
            confirm=_plain("c" * 30),
            deny=_plain("d" * 30),
        )
    )
    blocks = [section("Pick", accessory=select), {"type": "actions", "elements": [confirmed]}]

    assert message_problems({"text": "t", "blocks": blocks}) == []


def test_a_placeholder_in_an_input_is_checked():
    field = {
        "type": "input",
        "label": _plain("Time zone"),
        "element": {
            "type": "plain_text_input",
            "action_id": "tz",
            "placeholder": _plain("x" * 151),
        },
    }

    assert view_problems(modal(submit=_plain("Save"), blocks=[field])) == [
        "blocks[0].element.placeholder: 151 > 150 characters"
    ]


@pytest.mark.parametrize(
    ("view", "problem"),
    [
        (modal(title=_plain("t" * 25)), "title: 25 > 24 characters"),
        (
            modal(
                submit=_plain("Save"),
                blocks=[
                    {
                        "type": "input",
                        "label": _plain("l" * 2001),
                        "element": {"type": "plain_text_input", "action_id": "a"},
                    }
                ],
            ),
            "blocks[0].label: 2001 > 2000 characters",
        ),
        (
            modal(
                submit=_plain("Save"),
                blocks=[
                    {
                        "type": "input",
                        "label": _plain("Hours"),
                        "hint": _plain("h" * 2001),
                        "element": {"type": "plain_text_input", "action_id": "a"},
                    }
                ],
            ),
            "blocks[0].hint: 2001 > 2000 characters",
        ),
    ],
)
def test_translated_view_texts_are_limited(view, problem):
    assert view_problems(view) == [problem]
