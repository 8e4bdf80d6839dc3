"""Taking an answer back: the writes an Undo makes."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.db.models import Nudge


def reopen_nudge(session: Session, nudge: Nudge, outcome: str) -> bool:
    """The nudge is unanswered again, if `outcome` is still its answer: it counts neither as
    answered nor as ignored, and its buttons work again."""
    return (
        session.execute(
            update(Nudge)
            .where(Nudge.id == nudge.id, Nudge.outcome == outcome)
            .values(outcome=None, outcome_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
