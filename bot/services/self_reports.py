"""Breaks taken without the bot: `/stretch did <what>` and a nudge's "I moved anyway". Each is
a completion with the source "self", counted once however often it is retried or clicked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.completions import completion_of, count_done_today, record_completion
from bot.db.models import Person
from bot.db.nudges import own_nudge, record_nudge_outcome
from bot.domain.cards import nudge_card
from bot.domain.i18n import _
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.self_reports import (
    MOVED_ANYWAY_WHAT,
    SELF_REPORTED,
    SELF_REPORTED_ACTIVITY,
    read_what,
    report_key,
)
from bot.services.use_cases import UseCases


@dataclass(frozen=True)
class SelfReport:
    what: str
    done_today: int
    completed_at: datetime  # as first recorded: what an Undo takes back


class SelfReportService(UseCases):
    def did(self, who: SlackUser, profile: SlackProfile, text: str, trigger_id: str) -> SelfReport:
        """Record `/stretch did <text>`; raises `SelfReportError` (for the person) on bad text.
        The command's `trigger_id` makes a retried command count once."""
        what = read_what(text)
        with self._sessions.begin() as session:
            person = self._person(session, who, profile)
            return self._record(session, person, report_key(trigger_id), what)

    def moved_anyway(self, who: SlackUser, nudge_id: int) -> SelfReport | None:
        """The nudge's person moved on their own: the nudge is answered as done and a
        self-reported break recorded for its slot. None if the nudge is not theirs, or had
        another answer already (it cannot count twice)."""
        now = self._clock.now()
        with self._sessions.begin() as session:
            owned = own_nudge(session, who, nudge_id)
            if owned is None:
                return None
            person, nudge = owned
            card = nudge_card(nudge.id)
            answered = record_nudge_outcome(session, person, nudge.id, "done", now)
            if not answered and completion_of(session, person, SELF_REPORTED, card) is None:
                return None  # answered otherwise before (a double click finds its own break)
            return self._record(session, person, card, _(MOVED_ANYWAY_WHAT))

    def _record(self, session: Session, person: Person, card: str, what: str) -> SelfReport:
        now = self._clock.now()
        record_completion(
            session, person, SELF_REPORTED_ACTIVITY, SELF_REPORTED, card, now, what=what
        )
        # Just written, or by the first of two clicks: the Undo button names that one.
        recorded = completion_of(session, person, SELF_REPORTED, card)
        return SelfReport(
            what,
            count_done_today(session, person, now),
            recorded.completed_at if recorded else now,
        )
