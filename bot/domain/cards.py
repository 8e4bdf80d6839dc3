"""Card ids: each message showing an activity has its own, so that Done counts once per message
however often it is clicked. A nudge's card id is made from the nudge's, so a Done on a nudge
also answers that nudge."""

from __future__ import annotations

import re
import uuid

from bot.domain.row_ids import row_id

_CARD_ID = re.compile(r"^[\w-]{1,80}$")


def new_card() -> str:
    """The id of a card shown on request (not a nudge)."""
    return uuid.uuid4().hex


def nudge_card(nudge_id: int) -> str:
    return f"nudge-{nudge_id}"


def nudge_id_of(card: str) -> int | None:
    """The nudge a card was sent as, if it was."""
    prefix, _, number = card.partition("-")
    return row_id(int(number)) if prefix == "nudge" and number.isdigit() else None


def is_card_id(card: str) -> bool:
    """Whether a card id read back from a button could have been written by the app."""
    return _CARD_ID.match(card) is not None
