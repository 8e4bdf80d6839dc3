"""Which language a person, or a channel post, is spoken to in; and reading the language a
person types after `/stretch language`.

A person's own choice comes first, then the language of their Slack locale when the app speaks
it, then the workspace default an admin chose, then English. A channel post (a challenge, a
group break) speaks the language its starter spoke when they started it, else the workspace
default: people of every language read the same post.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.i18n import ENGLISH, LANGUAGES, language_of

# What `/stretch language auto` and the Settings choice "Slack's language" mean: no choice.
FOLLOW_SLACK = "auto"
_FOLLOW_SLACK_WORDS = frozenset({"auto", "slack", "default", "automatic"})

# Other names people may type for a language, besides its code and its own name in LANGUAGES:
# the English names, and the own names without their accents or region.
_OTHER_NAMES = {
    "english": "en",
    "spanish": "es",
    "german": "de",
    "french": "fr",
    "portuguese": "pt_BR",
    "brazilian": "pt_BR",
    "brazilian portuguese": "pt_BR",
    "japanese": "ja",
    "espanol": "es",
    "francais": "fr",
    "português": "pt_BR",
    "portugues": "pt_BR",
}


@dataclass(frozen=True)
class LanguageChoice:
    """What a person may have chosen, what Slack says, and the workspace's default."""

    chosen: str | None = None
    slack_locale: str | None = None
    workspace_default: str | None = None


def supported(language: str | None) -> str | None:
    """`language` if the app speaks it, else None (a stored value from an older catalog list)."""
    return language if language in LANGUAGES else None


def effective_language(choice: LanguageChoice) -> str:
    """The person's choice → their Slack locale's language → the workspace default → English."""
    return (
        supported(choice.chosen)
        or language_of(choice.slack_locale)
        or supported(choice.workspace_default)
        or ENGLISH
    )


def post_language(started_in: str | None, workspace_default: str | None) -> str:
    """A channel post's language: its starter's when it started, else the workspace default."""
    return supported(started_in) or supported(workspace_default) or ENGLISH


def parse_language(words: str) -> str | None:
    """The language a person typed — a code (`de`, `pt-br`, `pt_BR`), its own name (`Deutsch`,
    `español`) or its English name (`german`) — `FOLLOW_SLACK` for `auto` / `slack`, or None
    when it is none of the app's languages."""
    typed = " ".join(words.split()).casefold()
    if not typed:
        return None
    if typed in _FOLLOW_SLACK_WORDS:
        return FOLLOW_SLACK
    by_name = {name.casefold(): code for code, name in LANGUAGES.items()}
    if typed in by_name:
        return by_name[typed]
    if typed in _OTHER_NAMES:
        return _OTHER_NAMES[typed]
    if typed.isascii() and typed.replace("-", "").replace("_", "").isalpha() and len(typed) <= 5:
        return language_of(typed)
    return None
