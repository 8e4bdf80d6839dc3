"""Breaks taken without the bot ("I moved anyway"): what a person may say they did.

A self-reported break counts for streaks and totals like a Done and is marked as self-reported
(its completion's source is `SELF_REPORTED`)."""

from __future__ import annotations

import hashlib

from bot.domain.i18n import N_, _

# The completion source and the activity id of a break the person reports themselves.
SELF_REPORTED = "self"
SELF_REPORTED_ACTIVITY = "self-reported"
# What a nudge's "I moved anyway" records the person did.
MOVED_ANYWAY_WHAT = N_("a break of my own")  # stored in English, translated where shown
MAX_WHAT_LENGTH = 100
DID_USAGE = N_(
    "`/stretch did <what you did>`, e.g. `/stretch did a walk` or `/stretch did the stairs`"
)


class SelfReportError(ValueError):
    """What the person typed is no break we can record; the message says why, for them."""


def read_what(text: str) -> str:
    """The break described in `/stretch did <text>`, tidied; raises `SelfReportError`."""
    what = " ".join(text.split())
    if not what:
        raise SelfReportError(_("Tell me what you did: {usage}.", usage=_(DID_USAGE)))
    if len(what) > MAX_WHAT_LENGTH:
        raise SelfReportError(
            _(
                "Please describe it in at most {limit} characters: {usage}.",
                limit=MAX_WHAT_LENGTH,
                usage=_(DID_USAGE),
            )
        )
    return what


def report_key(trigger_id: str) -> str:
    """The card id under which one `/stretch did` is recorded: the same command retried by Slack
    carries the same `trigger_id`, so it counts once. Hashed, to fit the card id's shape
    whatever the trigger id holds."""
    return "did-" + hashlib.sha256(trigger_id.encode()).hexdigest()[:32]
