"""The listeners' own answers go through the translation layer: with a French catalog, what
`/stretch` answers while French is spoken is French, its `{placeholders}` filled; outside
`speaking` it is the English it always was. The install pages a browser shows too."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any

import pytest
from slack_sdk.oauth.redirect_uri_page_renderer import RedirectUriPageRenderer

from bot.domain.i18n import speaking
from bot.listeners.commands import stretch
from bot.listeners.errors import on_error
from bot.slack.install_pages import TranslatedOAuthFlow, TranslatedRedirectPages
from tests.support.catalogs import only_catalog

FRENCH_PO = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: fr\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgid "To delete your data, type `/stretch forget me`."
msgstr "Pour effacer vos données, tapez `/stretch forget me`."

msgid ""
"I don't know `/stretch challenge {argument}`. Use {usage}, `/stretch challenge status` or "
"`/stretch challenge end`."
msgstr ""
"Je ne connais pas `/stretch challenge {argument}`. Utilisez {usage}, `/stretch challenge "
"status` ou `/stretch challenge end`."

msgid "I don't know `/stretch admin {argument}`. Use {usage}."
msgstr "Je ne connais pas `/stretch admin {argument}`. Utilisez {usage}."

msgid "Sorry — something went wrong on my side. Please try again in a moment."
msgstr "Désolé — quelque chose s'est mal passé de mon côté. Réessayez dans un instant."

msgid "Oops, Something Went Wrong!"
msgstr "Oups, quelque chose s'est mal passé !"

msgid "Add to Slack"
msgstr "Ajouter à Slack"
"""


@pytest.fixture(autouse=True)
def french_catalog():
    with only_catalog("fr", FRENCH_PO):
        yield


class Answers:
    """Stands in for Bolt's `ack` and `respond`: keeps what the listener answered."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, **answer: Any) -> None:
        if "text" in answer:
            self.texts.append(answer["text"])


def answer_to(text: str) -> str:
    """What `/stretch <text>` answers, for commands answered before touching any service."""
    answers = Answers()
    command = {"command": "/stretch", "text": text, "team_id": "T1", "user_id": "U1"}
    services: Any = SimpleNamespace(challenges=None)
    stretch(answers, command, client=None, respond=answers, services=services)  # type: ignore[arg-type]
    (answer,) = answers.texts
    return answer


def test_a_stretch_answer_is_french_while_french_is_spoken():
    with speaking("fr"):
        assert answer_to("forget") == "Pour effacer vos données, tapez `/stretch forget me`."


def test_placeholders_are_filled_in_the_translation():
    with speaking("fr"):
        answer = answer_to("challenge dance")
    assert answer.startswith("Je ne connais pas `/stretch challenge dance`. Utilisez `/stretch")
    assert answer.endswith("`/stretch challenge status` ou `/stretch challenge end`.")
    with speaking("fr"):
        assert answer_to("admin nonsense").startswith(
            "Je ne connais pas `/stretch admin nonsense`. Utilisez `/stretch admin`"
        )


def test_outside_speaking_the_answers_stay_english():
    assert answer_to("forget") == "To delete your data, type `/stretch forget me`."
    assert answer_to("admin nonsense") == (
        "I don't know `/stretch admin nonsense`. Use `/stretch admin` (workspace defaults), "
        "`/stretch admin team` (team view) or `/stretch admin holidays DE` (`US CA` with a "
        "region, `off` to clear)."
    )


def test_the_error_fallback_is_french_while_french_is_spoken():
    with speaking("fr"):
        response = on_error(RuntimeError("boom"), {}, logging.getLogger("test"))
    assert json.loads(response.body)["text"].startswith("Désolé — quelque chose s'est mal passé")


def test_the_install_pages_are_french_while_french_is_spoken():
    pages = TranslatedRedirectPages(install_path="/slack/install", redirect_uri_path="/r")
    with speaking("fr"):
        failure = pages.render_failure_page("invalid_state")
        install = TranslatedOAuthFlow.build_install_page_html(None, "https://slack.com/x", None)  # type: ignore[arg-type]
    assert "<h2>Oups, quelque chose s'est mal passé !</h2>" in failure
    assert "(reason: invalid_state)" in failure  # untranslated here: English, filled
    assert 'alt="Ajouter à Slack"' in install
    assert "<h2>Oops, Something Went Wrong!</h2>" in pages.render_failure_page("invalid_state")


@pytest.mark.parametrize(
    "installed",
    [("A1", "T1"), ("A1", None), ("A1", "T1", True, "https://org.enterprise.slack.com/")],
)
def test_in_english_the_redirect_pages_are_bolts_own(installed):
    paths = {"install_path": "/slack/install", "redirect_uri_path": "/slack/oauth_redirect"}
    ours, bolts = TranslatedRedirectPages(**paths), RedirectUriPageRenderer(**paths)
    assert ours.render_success_page(*installed) == bolts.render_success_page(*installed)
    assert ours.render_failure_page("a <b>") == bolts.render_failure_page("a <b>")
