"""Cards, challenge posts and the Home tab speak the language being spoken, through a small German
catalog written here: the German words appear and the English ones do not, and a card or Home tab
rendered (and cached) in German is never served to an English reader afterwards."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import get_args

import pytest

from bot.blocks.challenge import announcement, day_post
from bot.blocks.exercise import exercise_card
from bot.blocks.home import home_view
from bot.blocks.team_library_form import CHOICE_LABELS
from bot.domain.challenges import ChallengeInfo, Standing
from bot.domain.content import Equipment, Load, Place, Position, Space, load_library, localized
from bot.domain.i18n import speaking
from bot.domain.progress import progress_view
from tests.support.catalogs import only_catalog

LIBRARY = load_library()
EXERCISE = LIBRARY.exercises[0]
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

GERMAN = {
    "Done": "Erledigt",
    "Another one": "Noch eine",
    "Time to stretch: {title}": "Zeit zum Dehnen: {title}",
    "*How to do it:*": "*So geht's:*",
    "Challenge day {number} of {days}: {title}": "Challenge-Tag {number} von {days}: {title}",
    "*Exercise library*": "*Übungsbibliothek*",
}
GERMAN_PLURALS = {
    ("{medal} <@{user}> — {n} day", "{medal} <@{user}> — {n} days"): (
        "{medal} <@{user}> — {n} Tag",
        "{medal} <@{user}> — {n} Tage",
    ),
}


def _po() -> str:
    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    entries = [
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    ]
    entries += [f"msgid {quoted(en)}\nmsgstr {quoted(de)}\n" for en, de in GERMAN.items()]
    entries += [
        f"msgid {quoted(one)}\nmsgid_plural {quoted(many)}\n"
        f"msgstr[0] {quoted(de_one)}\nmsgstr[1] {quoted(de_many)}\n"
        for (one, many), (de_one, de_many) in GERMAN_PLURALS.items()
    ]
    return "\n".join(entries)


@pytest.fixture(autouse=True)
def german_catalog():
    """Only this test's catalog, and nothing it rendered kept for other tests."""
    with only_catalog("de", _po()):
        yield


def _words(message) -> str:
    return message.text + json.dumps(message.blocks, ensure_ascii=False)


def test_a_card_in_german_then_in_english_is_never_the_german_one_again():
    with speaking("de"):
        german = _words(exercise_card(EXERCISE, "card-1"))
    english = _words(exercise_card(EXERCISE, "card-2"))

    assert f"Zeit zum Dehnen: {localized(EXERCISE, 'de').title}" in german
    assert all(word in german for word in ('"Erledigt"', '"Noch eine"', "*So geht's:*"))
    assert "Time to stretch" not in german and '"Done"' not in german
    assert f"Time to stretch: {EXERCISE.title}" in english
    assert all(word in english for word in ('"Done"', '"Another one"', "*How to do it:*"))
    assert "Erledigt" not in english and "Zeit zum Dehnen" not in english


def test_a_challenge_post_and_its_announcement_in_german():
    with speaking("de"):
        post = _words(day_post(7, 2, 5, EXERCISE))
        info = ChallengeInfo(1, "U1", 5, date(2026, 11, 24), date(2026, 11, 30), "11:00", "UTC")
        board = _words(announcement(info, [Standing("U2", 1, 1), Standing("U3", 2, 2)]))

    assert (
        f"Challenge-Tag 2 von 5: {localized(EXERCISE, 'de').title}" in post and '"Erledigt"' in post
    )
    assert "Challenge day" not in post and '"Done"' not in post
    assert "<@U2> — 1 Tag" in board and "<@U3> — 2 Tage" in board
    assert "Di., 24. Nov." in board  # the days as German writes them
    assert " day" not in board.split("Leaderboard")[1]


def test_the_home_tab_shared_part_is_cached_per_language():
    progress = progress_view(
        [], [], [], tz="UTC", work_days=frozenset(range(5)), now=NOW, titles={}
    )
    with speaking("de"):
        german = json.dumps(home_view(LIBRARY, None, progress, [], NOW), ensure_ascii=False)
    english = json.dumps(home_view(LIBRARY, None, progress, [], NOW), ensure_ascii=False)

    assert "*Übungsbibliothek*" in german and "*Exercise library*" not in german
    assert "*Exercise library*" in english and "Übungsbibliothek" not in english


def test_every_choice_of_the_exercise_form_has_a_label():
    choices = {c for kind in (Place, Position, Space, Equipment, Load) for c in get_args(kind)}
    assert choices == set(CHOICE_LABELS)
