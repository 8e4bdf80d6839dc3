"""The translation catalogs in `locales/`: extracted from today's code, complete in every language,
placeholders kept. A string added to the code without `pybabel extract` and a translation fails
here, naming the string and the language."""

from __future__ import annotations

import ast
import re
from functools import cache

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.domain.i18n import ENGLISH, LANGUAGES, LOCALES_DIR, placeholders

TRANSLATED = sorted(set(LANGUAGES) - {ENGLISH})
ROOT = LOCALES_DIR.parent

# Messages that read the same in a language as in English: names, codes and words the
# language borrows. Keyed by language; "*" for every language.
SAME_AS_ENGLISH: dict[str, set[str]] = {
    "*": {"Stretch Break", "OK", "{clock} UTC", "• {name} — `/stretch language {code}`"},
    "de": {"Name", "Start", "Status", "Team", "Details"},
    "fr": {"Minutes", "Pause", "Date", "Total", "Message", "Stop", "Menu", "Position", "Type"},
    "es": {"Total", "*Total*\n{count}"},
    "pt_BR": {"Total", "Status"},
    "ja": set(),
}


@cache
def _template() -> Catalog:
    with (LOCALES_DIR / "messages.pot").open("rb") as pot:
        return read_po(pot)


@cache
def _catalog(language: str) -> Catalog:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def _ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _letters(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]", re.sub(r"\{[^}]*\}|:[a-z0-9_+-]+:|<[^>]*>", "", text)))


def test_the_template_holds_every_message_in_the_code():
    in_code = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "bot"), method_map=[("**.py", "python")]
        )
    }
    in_template = {_ids(message)[0] for message in _template() if message.id}

    missing = sorted(in_code - in_template)
    stale = sorted(in_template - in_code)
    assert not missing, f"run pybabel extract (see README): not in messages.pot: {missing[:10]}"
    assert not stale, f"run pybabel extract (see README): no longer in the code: {stale[:10]}"


def test_no_message_hides_inside_an_f_string():
    """Babel cannot see `f"<h2>{_('Thank you!')}</h2>"`: the message would never be translated."""
    hidden = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in {"_", "ngettext", "N_"}
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                ):
                    hidden.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert not hidden, f"translate these outside the f-string: {hidden}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_keeping_its_placeholders(language: str):
    catalog = _catalog(language)
    assert catalog.num_plurals == len(Locale.parse(language).plural_form.tags | {"other"})
    problems = []
    for template_message in _template():
        if not template_message.id:
            continue
        message = catalog.get(template_message.id)
        english = _ids(template_message)
        if message is None or message.fuzzy:
            problems.append(f"{english[0]!r}: missing or fuzzy")
            continue
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(template_message.id, tuple) and len(translations) != catalog.num_plurals:
            problems.append(f"{english[0]!r}: {len(translations)} plural forms")
        for translation in translations:
            if not translation:
                problems.append(f"{english[0]!r}: empty")
            elif placeholders(translation) - placeholders(" ".join(english)):
                problems.append(f"{english[0]!r}: placeholders {placeholders(translation)}")
            elif (
                translation in english
                and _letters(translation)
                and translation not in SAME_AS_ENGLISH["*"] | SAME_AS_ENGLISH[language]
            ):
                problems.append(f"{english[0]!r}: left in English")
    assert not problems, f"{language}: {len(problems)} problems, e.g. {problems[:10]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translation_uses_each_placeholder_of_the_english(language: str):
    """A translation may drop `{n}` in a plural form that names no number ("one day" → "un
    día" is fine); any other placeholder left out loses information."""
    problems = []
    for message in _catalog(language):
        if not message.id or not message.string:
            continue
        english = placeholders(" ".join(_ids(message))) - {"n"}
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        for translation in translations:
            if translation and english - placeholders(translation):
                problems.append(
                    f"{_ids(message)[0]!r}: lacks {english - placeholders(translation)}"
                )
    assert not problems, f"{language}: {problems[:10]}"
