"""Public holidays from the `holidays` package: which countries and subdivisions it knows, and the
holidays of a region in a year (cached: the package builds them anew on each call).

A region is a country code (ISO 3166-1 alpha-2, "DE") and, where holidays differ within the
country, a subdivision code as the package names it ("BY" for Bavaria). A person's own choice wins
over their workspace's default; "none" is a choice too (no public holidays at all).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import holidays
from babel import Locale

from bot.domain.i18n import ENGLISH, _, cache_per_language, current_language

# The holidays package's name for the English it always speaks, and for each of our languages.
_PACKAGE_ENGLISH = "en_US"
_PACKAGE_LANGUAGES = {"es": "es", "de": "de", "fr": "fr", "pt_BR": "pt_BR", "ja": "ja"}
OWN_CHOICE_NONE = "none"  # stored as a person's country: they want no public holidays


class UnknownRegion(ValueError):
    """A country or subdivision the holidays package does not know (the message says what to
    type instead)."""


@dataclass(frozen=True)
class HolidayRegion:
    country: str
    subdivision: str | None = None

    def describe(self) -> str:
        """ "Germany (BY)", "United States", in the language being spoken."""
        name = country_labels().get(self.country, self.country)
        return f"{name} ({self.subdivision})" if self.subdivision else name


@dataclass(frozen=True)
class HolidayChoice:
    """A person's own choice as stored: ``country`` None follows the workspace default,
    `OWN_CHOICE_NONE` is no public holidays, else a country code (and maybe a subdivision)."""

    country: str | None = None
    subdivision: str | None = None


FOLLOW_WORKSPACE = HolidayChoice()


@dataclass(frozen=True)
class HolidaySetting:
    """What the Settings modal shows: the person's own choice and the workspace default."""

    own: HolidayChoice
    workspace_default: HolidayRegion | None


NOTHING_CHOSEN = HolidaySetting(FOLLOW_WORKSPACE, None)


def region_in_force(
    own_country: str | None,
    own_subdivision: str | None,
    default_country: str | None,
    default_subdivision: str | None,
) -> HolidayRegion | None:
    """The region whose holidays a person gets: their own choice (None when it is "none"), or,
    when they have not chosen, the workspace default (None when there is none)."""
    if own_country == OWN_CHOICE_NONE:
        return None
    if own_country:
        return HolidayRegion(own_country, own_subdivision or None)
    if default_country:
        return HolidayRegion(default_country, default_subdivision or None)
    return None


def public_holidays(region: HolidayRegion, year: int) -> Mapping[date, str]:
    """The region's public holidays in ``year``: date → name, in the language being spoken where
    the package has it for that country, else in English. Cached per region, year and language."""
    language = _PACKAGE_LANGUAGES.get(current_language(), _PACKAGE_ENGLISH)
    if language not in _supported_languages(region.country):
        language = _PACKAGE_ENGLISH
    return _holidays(region.country, region.subdivision, year, language)


def holiday_name(region: HolidayRegion | None, day: date) -> str | None:
    """The name of the public holiday on ``day`` in ``region``, or None."""
    return None if region is None else public_holidays(region, day.year).get(day)


def next_holiday(region: HolidayRegion | None, today: date) -> tuple[date, str] | None:
    """The region's next public holiday on or after ``today`` (within about a year), or None."""
    if region is None:
        return None
    ahead = [
        (day, name)
        for year in (today.year, today.year + 1)
        for day, name in public_holidays(region, year).items()
        if day >= today
    ]
    return min(ahead, default=None)


@functools.cache
def country_names() -> dict[str, str]:
    """Every country the package supports: code → English name, sorted by name."""
    names = {codes[1]: _english(key) for key, codes in holidays.registry.COUNTRIES.items()}
    supported = holidays.list_supported_countries(include_aliases=False)
    return dict(sorted(((code, names[code]) for code in supported), key=lambda item: item[1]))


@cache_per_language(1)
def country_labels() -> dict[str, str]:
    """`country_names` as a person reads them: in the language being spoken (Babel's territory
    names; the package's English where Babel has none), sorted by that name."""
    english = country_names()
    if current_language() == ENGLISH:
        return english
    territories = Locale.parse(current_language()).territories
    labels = {code: territories.get(code, name) for code, name in english.items()}
    return dict(sorted(labels.items(), key=lambda item: alphabetical(item[1])))


def alphabetical(name: str) -> str:
    """``name`` as sorted and grouped by initial: accents and case set aside (Émirats by E)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def checked_region(country: str, subdivision: str | None = None) -> HolidayRegion:
    """The region for a typed country code and subdivision (code or name, any case), in the
    package's spelling; raises `UnknownRegion` with a message for the person."""
    code = country.strip().upper()
    if code not in country_names():
        raise UnknownRegion(
            _(
                "I don't know public holidays for “{country}”. Use a two-letter "
                "country code such as DE, US or GB.",
                country=country.strip()[:20],
            )
        )
    if not subdivision or not subdivision.strip():
        return HolidayRegion(code)
    known = _subdivisions(code)
    found = known.get(subdivision.strip().casefold())
    if found is None:
        codes = sorted(set(known.values()))
        listed = ", ".join(codes[:40]) + (", …" if len(codes) > 40 else "")
        name, region = country_labels()[code], subdivision.strip()[:30]
        raise UnknownRegion(
            _(
                "{country} has no region “{region}”. Use one of: {codes}.",
                country=name,
                region=region,
                codes=listed,
            )
            if codes
            else _(
                "{country} has no region “{region}”. Leave the region empty.",
                country=name,
                region=region,
            )
        )
    return HolidayRegion(code, found)


@functools.lru_cache(maxsize=1024)
def _holidays(
    country: str, subdivision: str | None, year: int, language: str
) -> Mapping[date, str]:
    found = holidays.country_holidays(country, subdiv=subdivision, years=year, language=language)
    return dict(found.items())


@functools.lru_cache(maxsize=256)
def _supported_languages(country: str) -> frozenset[str]:
    return frozenset(holidays.country_holidays(country).supported_languages)


@functools.lru_cache(maxsize=256)
def _subdivisions(country: str) -> dict[str, str]:
    """Folded subdivision codes and names → the code the package takes."""
    calendar = holidays.country_holidays(country)
    found = {code.casefold(): code for code in calendar.subdivisions}
    aliases = getattr(calendar, "subdivisions_aliases", {}) or {}
    found |= {name.casefold(): code for name, code in aliases.items()}
    return found


def _english(registry_key: str) -> str:
    """ "bosnia_and_herzegovina" → "Bosnia and Herzegovina"."""
    small = {"and", "of", "the", "da"}
    words = registry_key.split("_")
    return " ".join(
        word if index and word in small else word.capitalize() for index, word in enumerate(words)
    )
