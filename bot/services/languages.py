"""`/stretch language`: the language a person is spoken to in, and choosing it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.db.languages import workspace_language
from bot.db.models import Person
from bot.domain.i18n import language_of, speak_from_now
from bot.domain.languages import FOLLOW_SLACK, LanguageChoice, effective_language, supported
from bot.domain.people import SlackProfile, SlackUser
from bot.services.use_cases import UseCases


@dataclass(frozen=True)
class SpokenLanguage:
    """What a person is spoken to in (`language`), what they chose (None: Slack's) and the
    language of their Slack locale, if the app speaks it."""

    language: str
    chosen: str | None
    slack_language: str | None

    @property
    def follows_slack(self) -> bool:
        return self.chosen is None


class LanguageService(UseCases):
    def current(self, who: SlackUser, profile: SlackProfile) -> SpokenLanguage:
        with self._sessions.begin() as session:
            return spoken_language(session, self._person(session, who, profile))

    def choose(self, who: SlackUser, profile: SlackProfile, language: str) -> SpokenLanguage:
        """Speak `language` to them from now on (`FOLLOW_SLACK`: their Slack locale's again);
        choosing the same twice changes nothing. The rest of this request speaks it too."""
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            choose_language(person, language)
            spoken = spoken_language(session, person)
        speak_from_now(spoken.language, person.slack_locale)
        return spoken


def choose_language(person: Person, language: str) -> None:
    """`language`, or `FOLLOW_SLACK` for their Slack locale's from now on."""
    person.language = None if language == FOLLOW_SLACK else language


def spoken_language(session: Session, person: Person) -> SpokenLanguage:
    choice = LanguageChoice(
        person.language, person.slack_locale, workspace_language(session, person.workspace_id)
    )
    chosen = supported(person.language)
    return SpokenLanguage(effective_language(choice), chosen, language_of(person.slack_locale))
