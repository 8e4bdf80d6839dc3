"""Translation: every string a person sees goes through `_` or `ngettext`, and every date, time or
weekday through the `format_*` functions here.

The language is the one being spoken *now*: `speaking(language, locale)` sets it for a request, a
job's post to one person, or a channel post, and everything below reads it (a context variable,
so each request thread and each job speaks its own). Outside `speaking` the app speaks English.

Catalogs are gettext `.po` files in `locales/<language>/LC_MESSAGES/messages.po`, extracted from
the code by Babel (`pybabel extract`, see README). They are compiled in memory the first time a
language is spoken, so a `.po` edited by a translator needs no build step. A message missing
from a catalog (or whose translation breaks its `{placeholders}`) falls back to the English
string, message by message, never to an error.
"""

from __future__ import annotations

import gettext
import io
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache, lru_cache, wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, format_time, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_percent

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"
ENGLISH = "en"

# The languages the app speaks, by code (Babel's spelling), each named in its own language.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "de": "Deutsch",
    "fr": "Français",
    "pt_BR": "Português (Brasil)",
    "ja": "日本語",
}

# How dates and times look when Slack has not told us a person's region: for English the 24-hour,
# day-before-month style the app has always used; for the others, the language's own.
_DEFAULT_FORMATS = {"en": "en_GB"}


@dataclass(frozen=True)
class Speech:
    """A language (a key of LANGUAGES) and the locale that formats its dates and times."""

    language: str
    locale: Locale


def _speech(language: str, locale: str | None = None) -> Speech:
    language = language if language in LANGUAGES else ENGLISH
    regional = _parse_locale(locale)
    if regional is None or language_of(locale) != language:
        regional = Locale.parse(_DEFAULT_FORMATS.get(language, language))
    return Speech(language, regional)


def language_of(locale: str | None) -> str | None:
    """The supported language of a Slack locale (`es-ES` → `es`, `pt-BR` → `pt_BR`, `ja-JP` →
    `ja`) or a language code as a person types it (`de`, `pt-br`), else None."""
    parsed = _parse_locale(locale)
    if parsed is None:
        return None
    regional = f"{parsed.language}_{parsed.territory}" if parsed.territory else None
    if regional in LANGUAGES:
        return regional
    if parsed.language == "pt":
        return "pt_BR"  # the one Portuguese we speak
    return parsed.language if parsed.language in LANGUAGES else None


def language_of_browser(accept_language: str | None) -> str:
    """The language to answer a browser in, from its Accept-Language header
    (`de-DE,de;q=0.9,en;q=0.8` → `de`): the supported one it prefers most, else English."""
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _semicolon, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        ranked.append((-weight, position, tag))
    for _weight, _position, tag in sorted(ranked):
        language = language_of(tag)
        if language:
            return language
    return ENGLISH


def _parse_locale(locale: str | None) -> Locale | None:
    if not locale:
        return None
    try:
        return Locale.parse(locale.strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


_spoken: ContextVar[Speech] = ContextVar("spoken", default=_speech(ENGLISH))  # noqa: B039 (frozen)


P = ParamSpec("P")
R = TypeVar("R")


_RENDERINGS: list[Callable[[], None]] = []  # each cache_per_language's cache_clear


def forget_translations() -> None:
    """Drop the compiled catalogs and everything rendered from them, so the next message reads
    the `.po` files again (a translator's edit without a restart; tests swapping catalogs)."""
    _catalog.cache_clear()
    for forget in _RENDERINGS:
        forget()


def cache_per_language(maxsize: int) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """`functools.lru_cache` for something rendered in the language being spoken: the same
    arguments in German and in Japanese are two entries, never one served for the other."""

    def decorate(render: Callable[P, R]) -> Callable[P, R]:
        @lru_cache(maxsize=maxsize)
        def rendered(speech: Speech, *args: P.args, **kwargs: P.kwargs) -> R:
            return render(*args, **kwargs)

        @wraps(render)
        def in_current_speech(*args: P.args, **kwargs: P.kwargs) -> R:
            return rendered(_spoken.get(), *args, **kwargs)

        in_current_speech.cache_clear = rendered.cache_clear  # type: ignore[attr-defined]
        _RENDERINGS.append(rendered.cache_clear)
        return in_current_speech

    return decorate


@contextmanager
def speaking(language: str | None, locale: str | None = None) -> Iterator[Speech]:
    """Speak `language` (English when None or unsupported) until the block ends; `locale` is the
    person's Slack locale (`en-US`), which picks 12- or 24-hour times within that language."""
    token = _spoken.set(_speech(language or ENGLISH, locale))
    try:
        yield _spoken.get()
    finally:
        _spoken.reset(token)


def speak_from_now(language: str | None, locale: str | None = None) -> None:
    """Speak `language` for the rest of the current context: in a `speaking` block, until it ends
    (it restores what came before), e.g. once a person chose another language mid-request;
    outside one, until the next call — so the caller must set it for every unit of work on that
    thread (`bot.listeners.speech` does, for every request)."""
    _spoken.set(_speech(language or ENGLISH, locale))


def current_language() -> str:
    return _spoken.get().language


def current_locale() -> Locale:
    return _spoken.get().locale


def _(message: str, /, **values: object) -> str:
    """`message` in the language being spoken, its `{placeholders}` filled from `values`."""
    return _filled(_catalog(current_language()).gettext(message), message, values)


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The form for `n` by the language's plural rules; `{n}` is filled with n."""
    translated = _catalog(current_language()).ngettext(singular, plural, n)
    return _filled(translated, singular if n == 1 else plural, {"n": n, **values})


def N_(message: str) -> str:
    """gettext's mark for extraction only: the constant is translated with `_` where shown."""
    return message


def _filled(translated: str, english: str, values: dict[str, object]) -> str:
    if not values:
        return translated
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        return english.format(**values)  # a translator broke a placeholder: English, not an error


def placeholders(message: str) -> set[str]:
    """The `{names}` in a message, as the catalog checks compare them."""
    try:
        return {field for _text, field, _spec, _conv in string.Formatter().parse(message) if field}
    except ValueError:
        return {"<malformed>"}


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == ENGLISH or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # untranslated and fuzzy messages are left out: English shows
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def format_day(value: date) -> str:
    """A day as a person reads it: Mon 30 Nov, lun 30 nov, 11月30日(月)."""
    return format_skeleton("MMMEd", value, locale=current_locale())


def format_clock(value: time | datetime) -> str:
    """A time of day, 24- or 12-hour as the locale writes it: 14:30, 2:30 PM."""
    return format_time(value, "short", locale=current_locale())


def format_share(fraction: float) -> str:
    """A share as a percentage the way the locale writes it: 45%, 45 %, 45 %."""
    return format_percent(fraction, locale=current_locale())


def weekday_names(width: str = "wide") -> list[str]:
    """Monday first; width "wide" (Monday), "abbreviated" (Mon) or "short"."""
    names = get_day_names(width, locale=current_locale())
    return [names[day] for day in range(7)]
