"""Which language a person and a channel post speak, and reading `/stretch language <what>`."""

from __future__ import annotations

import pytest

from bot.domain.i18n import LANGUAGES
from bot.domain.languages import (
    FOLLOW_SLACK,
    LanguageChoice,
    effective_language,
    parse_language,
    post_language,
)


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (LanguageChoice("de", "es-ES", "fr"), "de"),  # their own choice first
        (LanguageChoice(None, "es-ES", "fr"), "es"),  # then Slack's locale
        (LanguageChoice(None, "pt-BR", None), "pt_BR"),
        (LanguageChoice(None, "ko-KR", "fr"), "fr"),  # a locale we don't speak: the default
        (LanguageChoice(None, None, "ja"), "ja"),
        (LanguageChoice(None, "ko-KR", None), "en"),  # and last, English
        (LanguageChoice(), "en"),
        (LanguageChoice("xx", None, "de"), "de"),  # a stored language no longer spoken
        (LanguageChoice(None, "en-US", "de"), "en"),  # English from Slack beats the default
    ],
)
def test_effective_language(choice: LanguageChoice, expected: str) -> None:
    assert effective_language(choice) == expected


def test_a_post_speaks_its_starters_language_else_the_workspace_default() -> None:
    assert post_language("de", "es") == "de"
    assert post_language(None, "es") == "es"
    assert post_language(None, None) == "en"
    assert post_language("xx", None) == "en"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("de", "de"),
        ("DE", "de"),
        ("deutsch", "de"),
        ("German", "de"),
        ("pt-br", "pt_BR"),
        ("pt_BR", "pt_BR"),
        ("Português (Brasil)", "pt_BR"),
        ("portuguese", "pt_BR"),
        ("es-ES", "es"),
        ("Español", "es"),
        ("spanish", "es"),
        ("français", "fr"),
        ("日本語", "ja"),
        ("japanese", "ja"),
        ("english", "en"),
        ("en", "en"),
        ("auto", FOLLOW_SLACK),
        ("Slack", FOLLOW_SLACK),
        ("klingon", None),
        ("ko", None),
        ("", None),
        ("de de", None),
        ("{}", None),
    ],
)
def test_parse_language(typed: str, expected: str | None) -> None:
    assert parse_language(typed) == expected


def test_every_language_can_be_typed_by_its_code_and_its_own_name() -> None:
    for code, name in LANGUAGES.items():
        assert parse_language(code) == code
        assert parse_language(name) == code
