"""The scheduled nudge DM, and the lines that replace it after Snooze or Skip."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.blocks.exercise import build_activity_card, card_button_values
from bot.blocks.message import Message, context, section
from bot.blocks.rendered import ByIdentity, MessageTemplate
from bot.domain.cards import nudge_card
from bot.domain.content import Activity, localized
from bot.domain.i18n import _, cache_per_language, format_clock, ngettext

METADATA_EVENT = "stretch_nudge"

# Nudges kept rendered: one per activity, snoozed or not, and backoff interval (if any).
NUDGE_TEMPLATES = 1024


def nudge_message(
    nudge_id: int,
    activity: Activity,
    *,
    snoozed: bool = False,
    backoff_interval: int | None = None,
    fit_note: str | None = None,
) -> Message:
    """`backoff_interval` (minutes) adds the one-time note that reminders were halved today;
    `fit_note` why a movement break comes instead of an exercise (see `bot.domain.fit`).
    Rendered once per activity and notes (see `bot.blocks.rendered`), then given this nudge's id."""
    activity = localized(activity)  # one template per activity and language
    template = _nudge_template(ByIdentity(activity), snoozed, backoff_interval, fit_note)
    return template.fill(card_button_values(activity.id, nudge_card(nudge_id), "nudge", nudge_id))


def build_nudge_message(
    nudge_id: int,
    activity: Activity,
    *,
    snoozed: bool = False,
    backoff_interval: int | None = None,
    fit_note: str | None = None,
) -> Message:
    """The nudge rendered from scratch, as the cached ones are made."""
    card = build_activity_card(activity, nudge_card(nudge_id), "nudge", nudge_id)
    opening = _("Snoozed break — here it is again.") if snoozed else _("Time for a movement break!")
    blocks = [section(f":wave: {opening}").to_dict()]
    if fit_note:
        blocks.append(context(fit_note).to_dict())
    blocks += card.blocks
    if backoff_interval:
        blocks.append(
            context(
                ngettext(
                    "You let the last few go by, so I'll nudge you every minute "
                    "for the rest of today. Use `/stretch pause` or `/stretch settings` for fewer.",
                    "You let the last few go by, so I'll nudge you every {n} minutes "
                    "for the rest of today. Use `/stretch pause` or `/stretch settings` for fewer.",
                    backoff_interval,
                )
            ).to_dict()
        )
    return Message(text=f"{opening} {card.text}", blocks=blocks)


@cache_per_language(NUDGE_TEMPLATES)
def _nudge_template(
    activity: ByIdentity[Activity],
    snoozed: bool,
    backoff_interval: int | None,
    fit_note: str | None,
) -> MessageTemplate:
    """The nudge rendered for a placeholder nudge 0, whose id `fill` replaces."""
    return MessageTemplate.of(
        build_nudge_message(
            0,
            activity.value,
            snoozed=snoozed,
            backoff_interval=backoff_interval,
            fit_note=fit_note,
        )
    )


def snoozed_message(until: datetime, tz: str) -> Message:
    text = _(
        ":zzz: Snoozed — I'll remind you again at {time}.",
        time=format_clock(until.astimezone(ZoneInfo(tz))),
    )
    return Message.build(text, [section(text)])


def skipped_message(next_at: datetime | None, tz: str) -> Message:
    if next_at is None:
        text = _(":fast_forward: Skipped — no problem.")
    else:
        text = _(
            ":fast_forward: Skipped — no problem. Next one at {time}.",
            time=format_clock(next_at.astimezone(ZoneInfo(tz))),
        )
    return Message.build(text, [section(text)])


def metadata(nudge_id: int) -> dict:
    """Carried by the posted message, so a retry after a crash can find it in the DM history."""
    return {"event_type": METADATA_EVENT, "event_payload": {"nudge_id": nudge_id}}
