"""The Settings, nudge and work-hours texts go through the translation layer: with a small Spanish
catalog they come out in Spanish (and English readers still get English from the same caches),
and weekdays in a description of work hours come from Babel for the language being spoken."""

from __future__ import annotations

import json
from datetime import time
from typing import get_args

import pytest

from bot.blocks.nudge import nudge_message
from bot.blocks.settings import settings_modal
from bot.domain.content import Equipment, Load, Position, Space, load_library
from bot.domain.fit import tag_label
from bot.domain.i18n import speaking
from bot.domain.preferences import Preferences
from bot.domain.work_pattern import WorkPattern, describe_pattern, describe_week
from tests.support.catalogs import only_catalog

SPANISH = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Time for a movement break!"
msgstr "¡Hora de una pausa para moverte!"

msgid "Stretch settings"
msgstr "Ajustes de estiramientos"

msgid "Remind me every"
msgstr "Recuérdame cada"

msgid "{n} minute"
msgid_plural "{n} minutes"
msgstr[0] "{n} minuto"
msgstr[1] "{n} minutos"

msgid "mat"
msgstr "esterilla"

msgid "Home — mat exercises too"
msgstr "Casa — también ejercicios en esterilla"
"""


@pytest.fixture
def spanish_catalog():
    with only_catalog("es", SPANISH):
        yield


def _week() -> WorkPattern:
    return WorkPattern.every(range(4), time(9), time(17))


def test_a_nudge_is_spoken_in_spanish_and_its_cache_keeps_english_apart(spanish_catalog):
    activity = load_library().exercises[0]

    with speaking("es"):
        spanish = nudge_message(7, activity)
    english = nudge_message(7, activity)

    assert spanish.text.startswith("¡Hora de una pausa para moverte! ")
    assert "¡Hora de una pausa para moverte!" in json.dumps(spanish.blocks, ensure_ascii=False)
    assert english.text.startswith("Time for a movement break! ")
    assert "Hora de una pausa" not in json.dumps(english.blocks, ensure_ascii=False)


def test_the_settings_modal_is_spoken_in_spanish(spanish_catalog):
    prefs = Preferences(work_pattern=_week(), interval_minutes=60, place="home")

    with speaking("es"):
        view = settings_modal(prefs, "Europe/Madrid")
    shown = json.dumps(view, ensure_ascii=False)

    assert view["title"]["text"] == "Ajustes de estiramientos"
    assert "Recuérdame cada" in shown
    assert "60 minutos" in shown and "60 minutes" not in shown
    assert "Casa — también ejercicios en esterilla" in shown
    assert "Save" in shown  # no Spanish for it in this catalog: English, never an error
    assert "Stretch settings" in json.dumps(settings_modal(prefs, "Europe/Madrid"))


def test_tags_have_display_labels_and_stay_english_as_values(spanish_catalog):
    values = [v for tags in (Position, Space, Equipment, Load) for v in get_args(tags)]

    with speaking("es"):
        assert tag_label("mat") == "esterilla"
    assert [tag_label(value) for value in values] == values


def test_work_hours_are_described_with_german_weekdays():
    pattern = WorkPattern.every({0, 2}, time(9), time(17))

    with speaking("de"):
        summary = describe_pattern(pattern)
        week = describe_week(_week())

    assert summary == "Mo., Mi. 09:00\N{EN DASH}17:00"
    assert week[0] == "Montag: 09:00\N{EN DASH}17:00"
    assert week[3].startswith("Donnerstag: ")
    assert describe_pattern(pattern) == "Mon, Wed 09:00\N{EN DASH}17:00"
