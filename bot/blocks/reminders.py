"""Replies about scheduled reminders: on, off, paused, resumed, settings saved."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.blocks.ids import OPEN_SETTINGS, PAUSE_TODAY, REMINDERS_OFF, REMINDERS_ON, RESUME
from bot.blocks.message import Message, button, section
from bot.domain.reminders import ReminderStatus


def local_time(at: datetime, tz: str, now: datetime) -> str:
    """ "10:00" today, "Wed 09:07" within a week, "Mon 4 Jan 09:07" later (after time off) — in
    the person's zone."""
    local, today = at.astimezone(ZoneInfo(tz)), now.astimezone(ZoneInfo(tz)).date()
    if local.date() == today:
        return f"{local:%H:%M}"
    if (local.date() - today).days < 7:
        return f"{local:%a %H:%M}"
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def schedule_sentence(status: ReminderStatus, now: datetime) -> str:
    sentence = status.schedule
    if status.on and status.next_at:
        sentence += f"; next at {local_time(status.next_at, status.tz, now)}"
    return sentence + "."


def reminder_buttons(status: ReminderStatus | None) -> list[ButtonElement]:
    """Settings, on/off, and Resume while paused; `None` is someone the app has not met yet."""
    buttons = [button("Settings", OPEN_SETTINGS, "settings")]
    if status and status.on:
        buttons.append(button("Turn off reminders", REMINDERS_OFF, "off"))
    else:
        buttons.append(button("Turn on reminders", REMINDERS_ON, "on", style="primary"))
    if status and status.on and status.paused_until:
        buttons.append(button("Resume now", RESUME, "resume"))
    elif status and status.on:
        buttons.append(button("Pause for today", PAUSE_TODAY, "today"))
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
    return _with_buttons(f":bell: Reminders on: {schedule_sentence(status, now)}", status)


def reminders_off_message(status: ReminderStatus) -> Message:
    return _with_buttons(
        ":no_bell: Reminders off — I won't DM you until you turn them on "
        "again. `/stretch` still works any time.",
        status,
    )


def paused_message(until_words: str, status: ReminderStatus, now: datetime) -> Message:
    text = f":double_vertical_bar: Paused {until_words}."
    if status.on and status.next_at:
        text += f" Next nudge at {local_time(status.next_at, status.tz, now)}."
    elif not status.on:
        text += " (Reminders are off anyway — `/stretch on` to turn them on.)"
    return _with_buttons(text, status)


def resumed_message(status: ReminderStatus, now: datetime) -> Message:
    if not status.on:
        return reminders_off_message(status)
    return _with_buttons(f":arrow_forward: Resumed: {schedule_sentence(status, now)}", status)


def settings_saved_message(status: ReminderStatus, now: datetime) -> Message:
    state = "on" if status.on else "off (turn them on with `/stretch on`)"
    return _with_buttons(
        f":gear: Settings saved. Reminders {state}: {schedule_sentence(status, now)}", status
    )
