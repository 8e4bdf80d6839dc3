"""The translation layer itself: which language a Slack locale or a browser means, speaking one
for a while, falling back to English message by message, Babel's dates and times."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time

import pytest

from bot.domain.i18n import (
    _,
    cache_per_language,
    current_language,
    format_clock,
    format_day,
    language_of,
    language_of_browser,
    ngettext,
    speaking,
    weekday_names,
)
from tests.support.catalogs import only_catalog

GERMAN_PO = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: de\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Time for a movement break!"
msgstr "Zeit für eine Bewegungspause!"

msgid "Every {minutes} minutes"
msgstr "Alle {minuten} Minuten"

msgid "{n} day"
msgid_plural "{n} days"
msgstr[0] "{n} Tag"
msgstr[1] "{n} Tage"

#, fuzzy
msgid "Done"
msgstr "Fertig"
"""


@pytest.fixture(autouse=True)
def german_catalog():
    with only_catalog("de", GERMAN_PO):
        yield


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("es-ES", "es"),
        ("es-419", "es"),
        ("de-DE", "de"),
        ("fr-CA", "fr"),
        ("pt-BR", "pt_BR"),
        ("pt-PT", "pt_BR"),
        ("ja-JP", "ja"),
        ("en-GB", "en"),
        ("pt-br", "pt_BR"),
        ("de", "de"),
        ("zh-CN", None),
        ("klingon", None),
        ("", None),
        (None, None),
    ],
)
def test_a_slack_locale_means_a_language_we_speak_or_none(locale, language):
    assert language_of(locale) == language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("zh-CN,zh;q=0.9,ja;q=0.8,en;q=0.7", "ja"),
        ("en;q=0.5,fr;q=0.9", "fr"),
        ("fr;q=nonsense,es", "es"),
        ("*", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_a_browser_gets_the_supported_language_it_prefers_most(header, language):
    assert language_of_browser(header) == language


def test_a_translated_message_and_the_english_fallbacks():
    with speaking("de"):
        assert current_language() == "de"
        assert _("Time for a movement break!") == "Zeit für eine Bewegungspause!"
        assert _("Not in the catalog") == "Not in the catalog"
        assert _("Done") == "Done"  # fuzzy: not trusted
        # The translator misspelt the placeholder: the English, filled, rather than an error.
        assert _("Every {minutes} minutes", minutes=30) == "Every 30 minutes"
    assert current_language() == "en"
    assert _("Time for a movement break!") == "Time for a movement break!"


def test_plural_forms_come_from_the_catalog():
    with speaking("de"):
        assert [ngettext("{n} day", "{n} days", n) for n in (0, 1, 2)] == [
            "0 Tage",
            "1 Tag",
            "2 Tage",
        ]
    assert ngettext("{n} day", "{n} days", 1) == "1 day"


def test_an_unsupported_language_is_english():
    with speaking("tlh"):
        assert current_language() == "en"


def test_each_thread_speaks_its_own_language():
    heard = {}
    ready = threading.Barrier(2)

    def speak(language: str) -> None:
        with speaking(language):
            ready.wait(timeout=5)
            heard[language] = _("Time for a movement break!")

    threads = [threading.Thread(target=speak, args=(name,)) for name in ("de", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert heard == {"de": "Zeit für eine Bewegungspause!", "en": "Time for a movement break!"}


def test_dates_and_times_follow_the_locale():
    day, at = date(2026, 11, 30), datetime(2026, 11, 30, 14, 5, tzinfo=UTC)
    assert (format_day(day), format_clock(at)) == ("Mon 30 Nov", "14:05")
    with speaking("en", "en-US"):
        assert format_clock(time(14, 5)) == "2:05\u202fPM"  # CLDR's narrow no-break space
    with speaking("fr", "fr-FR"):
        assert format_day(day) == "lun. 30 nov."
    with speaking("ja"):
        assert format_day(day) == "11月30日(月)"
        assert weekday_names("abbreviated")[0] == "月"
    with speaking("de", "en-US"):  # an English locale does not format German
        assert format_clock(time(14, 5)) == "14:05"


def test_a_cache_per_language_keeps_languages_apart():
    rendered = []

    @cache_per_language(8)
    def render(name: str) -> str:
        rendered.append(name)
        return _("Time for a movement break!") + name

    assert render("x") == render("x") == "Time for a movement break!x"
    with speaking("de"):
        assert render("x") == "Zeit für eine Bewegungspause!x"
    assert render("x") == "Time for a movement break!x"
    assert rendered == ["x", "x"]
