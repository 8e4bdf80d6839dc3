"""Exercises and tips in every language: `content check`'s translation errors (each naming the
file, language and field), `localized` (the prose in the language being spoken, English field by
field where a translation has a gap), search in any language, and the renderers using it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bot.blocks.challenge import day_post
from bot.blocks.exercise import activity_card, exercise_card
from bot.blocks.group_break import exercise_post
from bot.blocks.guided import step_message
from bot.blocks.library import library_message
from bot.blocks.message import Message
from bot.blocks.nudge import nudge_message
from bot.domain.content import (
    DEFAULT_CONTENT_DIR,
    TRANSLATED_LANGUAGES,
    ContentError,
    Exercise,
    Library,
    Tip,
    check_content,
    load_library,
    localized,
    validate_exercise,
)
from bot.domain.guided import WalkRef, guide_steps
from bot.domain.i18n import speaking
from bot.domain.team_library import exercise_data
from tests.support.slack_limits import message_problems

LIBRARY = load_library()
HAMSTRING = "exercises/standing-hamstring-stretch.yaml"


def exercise(exercise_id: str) -> Exercise:
    found = LIBRARY.exercise(exercise_id)
    assert found is not None
    return found


def tip(tip_id: str) -> Tip:
    found = LIBRARY.tip(tip_id)
    assert found is not None
    return found


# --- content check ------------------------------------------------------------------------------


def test_the_shipped_content_is_translated_into_every_language() -> None:
    library = check_content()
    for item in (*library.exercises, *library.tips):
        assert set(item.translations) == set(TRANSLATED_LANGUAGES), item.id


Edit = Callable[[dict[str, Any]], None]


def problems_after(tmp_path: Path, file: str, edit: Edit) -> list[str]:
    """`check_content`'s problems for a copy of the real content with `file` edited."""
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    yaml = YAML(typ="safe", pure=True)
    path = root / file
    data = yaml.load(path.read_text(encoding="utf-8"))
    edit(data)
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    with pytest.raises(ContentError) as raised:
        check_content(root)
    return list(raised.value.problems)


def spanish(data: dict[str, Any]) -> dict[str, Any]:
    return data["translations"]["es"]


def test_a_missing_language_is_named(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, HAMSTRING, lambda d: d["translations"].pop("ja"))
    assert problems == [f"{HAMSTRING}: translations.ja: missing language"]


def test_a_missing_field_is_named(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, HAMSTRING, lambda d: spanish(d).pop("why"))
    assert len(problems) == 1
    assert problems[0].startswith(f"{HAMSTRING}: translations.es.why: missing")


def test_a_missing_tip_field_is_named(tmp_path: Path) -> None:
    file = "tips/posture.yaml"
    problems = problems_after(tmp_path, file, lambda d: d["translations"]["fr"].pop("points"))
    assert len(problems) == 1
    assert problems[0].startswith(f"{file}: translations.fr.points: missing")


def test_an_unknown_field_is_named(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, HAMSTRING, lambda d: spanish(d).update(tips="Nada"))
    assert problems == [f"{HAMSTRING}: translations.es.tips: unknown field"]


def test_text_english_does_not_have_is_an_error(tmp_path: Path) -> None:
    # The hamstring stretch has no frequency in English: a translated one has nothing to match.
    problems = problems_after(
        tmp_path, HAMSTRING, lambda d: spanish(d).update(frequency="dos veces al día")
    )
    assert problems == [
        f"{HAMSTRING}: translations.es.frequency: English has no such text: leave it out"
    ]


def test_a_missing_step_is_an_error(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, HAMSTRING, lambda d: spanish(d)["steps"].pop())
    assert problems == [f"{HAMSTRING}: translations.es.steps: 3 items, English has 4"]


def test_an_extra_list_item_is_an_error(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path, HAMSTRING, lambda d: d["translations"]["de"]["cautions"].append("Noch was.")
    )
    assert problems == [f"{HAMSTRING}: translations.de.cautions: 2 items, English has 1"]


def test_a_field_left_in_english_is_untranslated(tmp_path: Path) -> None:
    def english_step(data: dict[str, Any]) -> None:
        data["translations"]["pt_BR"]["steps"][1] = data["steps"][1]

    problems = problems_after(tmp_path, HAMSTRING, english_step)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{HAMSTRING}: translations.pt_BR.steps #2: untranslated, the same as English"
    )


def test_an_untranslated_title_is_named(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path, HAMSTRING, lambda d: d["translations"]["ja"].update(title=d["title"])
    )
    assert len(problems) == 1
    assert problems[0].startswith(f"{HAMSTRING}: translations.ja.title: untranslated")


def test_a_word_a_language_spells_as_english_may_stay() -> None:
    # French "posture" is the English word: allowed for French, and the shipped content uses it.
    body_lift = exercise("prone-body-lift")
    assert "posture" in body_lift.body_areas
    assert "posture" in body_lift.translations["fr"].body_areas  # type: ignore[operator]


def test_placeholders_must_match_the_english(tmp_path: Path) -> None:
    def placeholders(data: dict[str, Any]) -> None:
        data["steps"][0] = "Stand up for {seconds} seconds and spread your legs slightly."
        spanish(data)["steps"][0] = "Ponte de pie {segundos} segundos y separa un poco las piernas."
        data["translations"]["de"]["steps"][0] = (
            "Steh {seconds} Sekunden lang auf und spreiz die Beine leicht."
        )

    problems = problems_after(tmp_path, HAMSTRING, placeholders)
    expected = f"{HAMSTRING}: translations.es.steps #1: placeholders differ from English (seconds)"
    # Every language but German (whose step keeps {seconds}) lacks the placeholder.
    assert expected in problems
    assert not any("translations.de." in problem for problem in problems)
    assert {p.split(": ")[1] for p in problems} == {
        f"translations.{language}.steps #1" for language in ("es", "fr", "pt_BR", "ja")
    }


def test_an_unknown_language_code_is_an_error(tmp_path: Path) -> None:
    def klingon(data: dict[str, Any]) -> None:
        data["translations"]["tlh"] = spanish(data)

    problems = problems_after(tmp_path, HAMSTRING, klingon)
    assert len(problems) == 1
    assert problems[0].startswith(f"{HAMSTRING}: translations: unknown language 'tlh'")


def test_english_is_not_a_translation(tmp_path: Path) -> None:
    def english(data: dict[str, Any]) -> None:
        data["translations"]["en"] = spanish(data)

    problems = problems_after(tmp_path, HAMSTRING, english)
    assert problems[0].startswith(f"{HAMSTRING}: translations: unknown language 'en'")


# --- localized ----------------------------------------------------------------------------------


def test_localized_gives_the_prose_of_the_language_being_spoken() -> None:
    hamstring = exercise("standing-hamstring-stretch")
    with speaking("es"):
        shown = localized(hamstring)
    assert shown.title == "Estiramiento de isquiotibiales de pie"
    assert shown.steps[0] == "Ponte de pie y separa un poco las piernas."
    assert shown.source.credit.startswith("La fisioterapeuta")
    assert shown.source.article == hamstring.source.article  # the article's title stays
    # The tags the app compares stay English.
    assert (shown.place, shown.position, shown.loads) == ("home", "standing", hamstring.loads)
    assert shown.id == hamstring.id


def test_english_is_the_item_itself() -> None:
    hamstring = exercise("standing-hamstring-stretch")
    assert localized(hamstring) is hamstring
    with speaking("en"):
        assert localized(hamstring) is hamstring


def test_the_same_object_per_item_and_language() -> None:
    massage = tip("massage")
    with speaking("de"):
        german = localized(massage)
        assert localized(massage) is german
        assert localized(german) is german  # localizing again changes nothing
    assert localized(massage, "ja") is localized(massage, "ja") is not german
    assert german.title == "Probier eine Massage"


def test_a_gap_in_a_translation_falls_back_to_english_field_by_field() -> None:
    hamstring = exercise("standing-hamstring-stretch")
    french = hamstring.translations["fr"].model_copy(update={"steps": None, "why": None})
    gappy = hamstring.model_copy(update={"translations": {"fr": french}})
    shown = localized(gappy, "fr")
    assert shown.steps == hamstring.steps
    assert shown.why == hamstring.why
    assert shown.title == "Étirement des ischio-jambiers debout"


def test_a_language_without_translation_shows_english() -> None:
    hamstring = exercise("standing-hamstring-stretch")
    untranslated = hamstring.model_copy(update={"translations": {}})
    assert localized(untranslated, "ja") is untranslated


def test_a_team_exercise_is_shown_as_written() -> None:
    data = exercise_data(exercise("scapular-retraction"))
    assert "translations" not in data  # stored and exported without them
    written = validate_exercise({**data, "translations": {"es": {"title": "Retracción"}}})
    assert isinstance(written, Exercise)
    assert written.translations == {}
    with speaking("es"):
        assert localized(written) is written


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected_first"),
    [
        ("isquiotibiales", "standing-hamstring-stretch"),  # Spanish
        ("ISQUIOTIBIALES", "standing-hamstring-stretch"),  # any case
        ("ハムストリング", "standing-hamstring-stretch"),  # Japanese, no spaces
        ("太もも", "standing-hamstring-stretch"),
        ("ischio-jambiers", "standing-hamstring-stretch"),  # French
        ("posteriores da coxa", "standing-hamstring-stretch"),  # Portuguese
        ("Schulterblätter", "lying-shoulder-blade-retraction"),  # German, umlaut
        ("schulterblatter", "lying-shoulder-blade-retraction"),  # without it
        ("épaules", "lying-shoulder-blade-retraction"),
        ("EPAULES", "lying-shoulder-blade-retraction"),
        ("lendendehnung", "seated-lumbar-stretch"),
        ("菱形筋", "scapular-retraction"),
        ("hamstring", "standing-hamstring-stretch"),  # English keeps working
    ],
)
def test_search_finds_words_of_any_language(words: str, expected_first: str) -> None:
    assert LIBRARY.search(words)[0].id == expected_first


def test_search_rucken_finds_the_back_exercises() -> None:
    back = [e.id for e in LIBRARY.search("Rücken")]
    assert (
        back == [e.id for e in LIBRARY.search("rucken")] == [e.id for e in LIBRARY.search("RÜCKEN")]
    )
    assert set(back) == {e.id for e in LIBRARY.search("back")}
    assert [e.id for e in LIBRARY.search("unterer Rücken")] == [
        e.id for e in LIBRARY.search("lower back")
    ]


def test_search_japanese_matches_inside_words() -> None:
    # 背中上部 (upper back) contains 背中 (back): Japanese has no spaces between words.
    found = {e.id for e in LIBRARY.search("背中")}
    assert {"lying-shoulder-blade-retraction", "torso-rotations-on-all-fours"} <= found


def test_search_leaves_out_the_little_words_of_each_language() -> None:
    assert LIBRARY.search("estiramiento de los isquiotibiales")[0].id == (
        "standing-hamstring-stretch"
    )
    assert LIBRARY.search("étirement des ischio-jambiers")[0].id == "standing-hamstring-stretch"


def test_english_words_work_in_any_language_being_spoken() -> None:
    with speaking("ja"):
        assert LIBRARY.search("lower back") == load_library().search("lower back")


def test_search_does_not_match_a_team_library_without_translations() -> None:
    team = Library(
        exercises=(exercise("scapular-retraction").model_copy(update={"translations": {}}),)
    )
    assert team.search("romboides") == []
    assert team.search("rhomboid")[0].id == "scapular-retraction"


# --- renderers ----------------------------------------------------------------------------------


def texts(blocks: list[dict[str, Any]]) -> str:
    return repr(blocks)


def test_cards_show_the_exercise_in_the_language_being_spoken() -> None:
    hamstring = exercise("standing-hamstring-stretch")
    english = exercise_card(hamstring, "c1")
    with speaking("es"):
        spanish_card = exercise_card(hamstring, "c1")
    assert spanish_card.blocks[0]["text"]["text"] == "Estiramiento de isquiotibiales de pie"
    assert "Ponte de pie y separa un poco las piernas." in texts(spanish_card.blocks)
    assert "La fisioterapeuta estadounidense" in texts(spanish_card.blocks)
    assert english.blocks[0]["text"]["text"] == "Standing hamstring stretch"
    # The cached English card is not served to a Spanish reader, nor the other way round.
    assert exercise_card(hamstring, "c1").blocks == english.blocks


def test_movement_break_cards_show_the_tip_translated() -> None:
    with speaking("ja"):
        card = activity_card(tip("posture-check"), "c2", "command")
    assert card.blocks[0]["text"]["text"] == "姿勢チェック"
    assert "椅子の背もたれが背中を支えている。" in texts(card.blocks)


def test_the_library_lists_titles_and_muscles_translated() -> None:
    with speaking("de"):
        listing = texts(library_message(LIBRARY).blocks)
    assert "Dehnung der hinteren Oberschenkel im Stehen" in listing
    assert "Rautenmuskeln" in listing
    assert "Standing hamstring stretch" not in listing


def test_guided_steps_are_translated_and_hold_as_in_english() -> None:
    lumbar = exercise("seated-lumbar-stretch")
    english = guide_steps(lumbar)
    with speaking("fr"):
        french = guide_steps(lumbar)
        message = step_message(lumbar, french, WalkRef(lumbar.id, "c3", "command", 2), False)
    assert [s.hold_seconds for s in french] == [s.hold_seconds for s in english]
    assert [s.side for s in french] == [s.side for s in english]
    assert french[0].text == "Asseyez-vous sur une chaise ou un tabouret."
    assert message.blocks[0]["text"]["text"] == "Étirement lombaire assis"


def messages_showing_content() -> list[Message]:
    """Every message that shows an exercise's or tip's prose, for the whole library."""
    messages = [library_message(LIBRARY)]
    for item in (*LIBRARY.exercises, *LIBRARY.tips):
        messages += [activity_card(item, "c4", "command"), nudge_message(7, item)]
    for shown in LIBRARY.exercises:
        steps = guide_steps(shown)
        messages += [day_post(1, 3, 5, shown), exercise_post(2, shown)]
        messages += [
            step_message(shown, steps, WalkRef(shown.id, "c5", "command", n), True)
            for n in range(len(steps))
        ]
    return messages


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_content_fits_slack_limits_in_every_language(language: str) -> None:
    with speaking(language):
        messages = messages_showing_content()
    for message in messages:
        assert message_problems(message.as_kwargs()) == [], message.text
    # Each is in the language: no English title is left in any of them.
    english_titles = {item.title for item in (*LIBRARY.exercises, *LIBRARY.tips)}
    assert not any(title in repr(m.blocks) for m in messages for title in english_titles)
