"""Replies about scheduled reminders: on, off, paused, resumed, settings saved."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.blocks.ids import OPEN_SETTINGS, PAUSE_TODAY, REMINDERS_OFF, REMINDERS_ON, RESUME
from bot.blocks.message import Message, button, section
from bot.domain.i18n import _, format_clock, format_day, weekday_names
from bot.domain.reminders import ReminderStatus


def local_time(at: datetime, tz: str, now: datetime) -> str:
    """ "10:00" today, "Wed 09:07" within a week, "Mon 4 Jan 09:07" later (after time off) — in
    the person's zone."""
    local, today = at.astimezone(ZoneInfo(tz)), now.astimezone(ZoneInfo(tz)).date()
    clock = format_clock(local)
    if local.date() == today:
        return clock
    if (local.date() - today).days < 7:
        weekday = weekday_names("abbreviated")[local.weekday()]
        return _("{weekday} {time}", weekday=weekday, time=clock)
    return _("{day} {time}", day=format_day(local.date()), time=clock)


def schedule_sentence(status: ReminderStatus, now: datetime) -> str:
    if status.on and status.next_at:
        next_at = local_time(status.next_at, status.tz, now)
        return _("{schedule}; next at {time}.", schedule=status.schedule, time=next_at)
    return _("{schedule}.", schedule=status.schedule)


def reminder_buttons(status: ReminderStatus | None) -> list[ButtonElement]:
    """Settings, on/off, and Resume while paused; `None` is someone the app has not met yet."""
    buttons = [button(_("Settings"), OPEN_SETTINGS, "settings")]
    if status and status.on:
        buttons.append(button(_("Turn off reminders"), REMINDERS_OFF, "off"))
    else:
        buttons.append(button(_("Turn on reminders"), REMINDERS_ON, "on", style="primary"))
    if status and status.on and status.paused_until:
        buttons.append(button(_("Resume now"), RESUME, "resume"))
    elif status and status.on:
        buttons.append(button(_("Pause for today"), PAUSE_TODAY, "today"))
    return buttons


def _with_buttons(text: str, status: ReminderStatus) -> Message:
    return Message.build(
        text,
        [
            section(text),
            ActionsBlock(block_id="reminder_actions", elements=reminder_buttons(status)),
        ],
    )


def reminders_on_message(status: ReminderStatus, now: datetime) -> Message:
    return _with_buttons(
        _(":bell: Reminders on: {schedule}", schedule=schedule_sentence(status, now)), status
    )


def reminders_off_message(status: ReminderStatus) -> Message:
    return _with_buttons(
        _(
            ":no_bell: Reminders off — I won't DM you until you turn them on "
            "again. `/stretch` still works any time."
        ),
        status,
    )


def paused_message(until_words: str, status: ReminderStatus, now: datetime) -> Message:
    text = _(":double_vertical_bar: Paused {until}.", until=until_words)
    if status.on and status.next_at:
        next_at = local_time(status.next_at, status.tz, now)
        text += " " + _("Next nudge at {time}.", time=next_at)
    elif not status.on:
        text += " " + _("(Reminders are off anyway — `/stretch on` to turn them on.)")
    return _with_buttons(text, status)


def resumed_message(status: ReminderStatus, now: datetime) -> Message:
    if not status.on:
        return reminders_off_message(status)
    return _with_buttons(
        _(":arrow_forward: Resumed: {schedule}", schedule=schedule_sentence(status, now)), status
    )


def settings_saved_message(status: ReminderStatus, now: datetime) -> Message:
    schedule = schedule_sentence(status, now)
    if status.on:
        text = _(":gear: Settings saved. Reminders on: {schedule}", schedule=schedule)
    else:
        text = _(
            ":gear: Settings saved. Reminders off (turn them on with `/stretch on`): {schedule}",
            schedule=schedule,
        )
    return _with_buttons(text, status)
