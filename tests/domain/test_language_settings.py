"""The Language field of the Settings and Admin modals, shown and read back."""

from __future__ import annotations

import pytest

from bot.blocks.language_settings import LANGUAGE_BLOCK, language_block, read_language
from bot.domain.i18n import LANGUAGES, speaking
from bot.domain.languages import FOLLOW_SLACK


def answer(value: str) -> dict:
    return {LANGUAGE_BLOCK: {LANGUAGE_BLOCK: {"selected_option": {"value": value}}}}


def initial_value(block) -> str:
    return block.to_dict()["element"]["initial_option"]["value"]


@pytest.mark.parametrize("spoken", list(LANGUAGES))
def test_the_person_may_follow_slack_or_choose_any_language(spoken: str) -> None:
    with speaking(spoken):
        block = language_block(None, "es").to_dict()
    values = [option["value"] for option in block["element"]["options"]]
    assert values == [FOLLOW_SLACK, *LANGUAGES]
    assert block["element"]["initial_option"]["value"] == FOLLOW_SLACK
    assert "Español" in block["element"]["initial_option"]["text"]["text"]
    assert all(len(option["text"]["text"]) <= 75 for option in block["element"]["options"])


def test_the_current_choice_is_shown() -> None:
    assert initial_value(language_block("de", "es")) == "de"
    assert initial_value(language_block(None, None, for_workspace=True)) == "en"
    assert initial_value(language_block("ja", None, for_workspace=True)) == "ja"


def test_the_workspace_cannot_follow_slack() -> None:
    values = [o.value for o in language_block(None, for_workspace=True).element.options]
    assert values == list(LANGUAGES)


def test_answers_are_read_and_forged_ones_refused() -> None:
    assert read_language(answer("pt_BR")) == "pt_BR"
    assert read_language(answer(FOLLOW_SLACK)) == FOLLOW_SLACK
    assert read_language(answer("de"), for_workspace=True) == "de"
    assert read_language(answer("en"), for_workspace=True) is None  # English: no default
    assert read_language(answer(FOLLOW_SLACK), for_workspace=True) == {
        LANGUAGE_BLOCK: "Choose a language from the list."
    }
    assert read_language(answer("tlh")) == {LANGUAGE_BLOCK: "Choose a language from the list."}
    assert read_language({LANGUAGE_BLOCK: "nonsense"}) == {
        LANGUAGE_BLOCK: "Choose a language from the list."
    }


def test_a_modal_opened_before_the_field_existed_changes_nothing() -> None:
    assert read_language({}) is None
    assert read_language(None) is None
