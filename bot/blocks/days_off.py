"""Days off in Slack: the answers to `/stretch away` and `/stretch admin holidays`, the App Home
section (upcoming time off with Cancel buttons, public holidays, "Plan time off"), and the modal
with two date pickers, with the reader of its submission."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, DatePickerElement, InputBlock
from slack_sdk.models.views import View

from bot.blocks.ids import CANCEL_TIME_OFF, PLAN_TIME_OFF
from bot.blocks.message import Message, button, context, escape, notice, section
from bot.domain.days_off import DaysOffOverview
from bot.domain.holidays import HolidayRegion
from bot.domain.i18n import N_, _
from bot.domain.time_off import AWAY_EXAMPLES, DateSpan, describe_day, describe_span

TIME_OFF_CALLBACK = "time_off_submit"
FIRST_DAY_BLOCK = "time_off_first"
LAST_DAY_BLOCK = "time_off_last"

# In English; shown through `_`.
HOLIDAYS_USAGE = N_(
    "`/stretch admin holidays DE` (or `US CA`, with a region) sets the public holidays everyone "
    "here gets unless they choose their own in Settings; `/stretch admin holidays off` clears it."
)

Errors = dict[str, str]


def away_usage() -> str:
    return _(
        "`/stretch away {example}` plans time off (no reminders, no weekly summary for a "
        "week spent away, and your streak holds); `/stretch away list` shows it, "
        "`/stretch away cancel N` cancels the Nth.",
        example=AWAY_EXAMPLES[0],
    )


def time_off_planned_message(span: DateSpan, today: date, *, added: bool) -> Message:
    when = describe_span(span, today)
    if not added:
        return notice(_(":palm_tree: {when} was already planned — nothing changed.", when=when))
    return notice(
        _(
            ":palm_tree: Time off planned: {when}. No reminders then, and your streak holds. "
            "`/stretch away list` shows what you have planned.",
            when=when,
        )
    )


def time_off_list_message(overview: DaysOffOverview) -> Message:
    if not overview.planned:
        text = _("You have no time off planned. {usage}", usage=away_usage())
    else:
        lines = [
            f"{number}. {describe_span(entry.span, overview.today)}"
            for number, entry in enumerate(overview.planned, start=1)
        ]
        text = "\n".join(
            [_("*Your time off*"), *lines, _("Cancel one with `/stretch away cancel N`.")]
        )
    return notice(text + _holidays_line(overview))


def cancel_needs_number() -> Message:
    return notice(_("Say which one to cancel by its number: {usage}", usage=away_usage()))


def time_off_cancelled_message(span: DateSpan, today: date) -> Message:
    what = describe_span(span, today)
    if span.first < today:  # already begun: the days already off stay off
        return notice(_("Time off {what} is cut short: reminders are back from today.", what=what))
    return notice(_("Time off {what} cancelled.", what=what))


def no_such_time_off(number_text: str) -> Message:
    return notice(
        _(
            "You have no planned time off numbered “{number}”. "
            "`/stretch away list` shows the numbers.",
            number=escape(number_text[:20]),
        )
    )


def workspace_holidays_message(region: HolidayRegion | None) -> Message:
    if region is None:
        return notice(_("The workspace default for public holidays is cleared."))
    return notice(
        _(
            "Everyone here gets no reminders on the public holidays of {region}, "
            "unless they choose their own country in Settings.",
            region=region.describe(),
        )
    )


def not_an_admin_message() -> Message:
    return notice(
        _(
            "Only a workspace admin or owner can set the workspace's public holidays. You can "
            "choose your own country in `/stretch settings`."
        )
    )


def time_off_home_blocks(overview: DaysOffOverview | None) -> list[Block]:
    """The Home tab's section: each upcoming time off with a Cancel button (at most
    `MAX_PLANNED`), the public holidays in force, and "Plan time off"."""
    blocks: list[Block] = [section(_("*Time off and holidays*"))]
    if overview is not None:
        blocks += [
            section(
                f":palm_tree: {describe_span(entry.span, overview.today)}",
                accessory=button(_("Cancel"), CANCEL_TIME_OFF, {"time_off": entry.id}),
            )
            for entry in overview.planned
        ]
    if overview is None or not overview.planned:
        blocks.append(section(_("No time off planned.")))
    holidays = _holidays_line(overview).strip() if overview else ""
    if holidays:
        blocks.append(context(holidays))
    blocks.append(
        ActionsBlock(
            block_id="home_time_off",
            elements=[button(_("Plan time off"), PLAN_TIME_OFF, "plan")],
        )
    )
    return blocks


def time_off_modal(today: date) -> dict[str, Any]:
    """Two date pickers, both starting at today."""
    blocks = [
        _date_input(FIRST_DAY_BLOCK, _("First day off"), today),
        _date_input(LAST_DAY_BLOCK, _("Last day off"), today),
    ]
    view = View(
        type="modal",
        callback_id=TIME_OFF_CALLBACK,
        title=_("Plan time off"),
        submit=_("Save"),
        close=_("Cancel"),
        blocks=blocks,
    )
    return view.to_dict()


def read_time_off_dates(state_values: Any) -> tuple[date, date] | Errors:
    """The two picked dates from a submission's state values, or errors keyed by block id. The
    payload is untrusted: anything missing or malformed is an unanswered field."""
    values = state_values if isinstance(state_values, dict) else {}
    picked: dict[str, date | None] = {}
    errors: Errors = {}
    for block_id in (FIRST_DAY_BLOCK, LAST_DAY_BLOCK):
        block = values.get(block_id)
        action = block.get(block_id) if isinstance(block, dict) else None
        text = action.get("selected_date") if isinstance(action, dict) else None
        try:
            picked[block_id] = date.fromisoformat(text) if isinstance(text, str) else None
        except ValueError:
            picked[block_id] = None
        if picked[block_id] is None:
            errors[block_id] = _("Pick a date.")
    first, last = picked[FIRST_DAY_BLOCK], picked[LAST_DAY_BLOCK]
    if first is None or last is None:
        return errors
    return first, last


def _date_input(block_id: str, label: str, initial: date) -> InputBlock:
    element = DatePickerElement(
        action_id=block_id, initial_date=initial.isoformat(), placeholder=_("Pick a date")
    )
    return InputBlock(block_id=block_id, label=label, element=element)


def _holidays_line(overview: DaysOffOverview | None) -> str:
    if overview is None or overview.region is None:
        return "\n" + _(
            "Public holidays: none chosen — pick your country in Settings for no reminders on "
            "its public holidays."
        )
    region = overview.region.describe()
    if not overview.next_holiday:
        return "\n" + _("Public holidays of {region}: no reminders on them.", region=region)
    day, name = overview.next_holiday
    return "\n" + _(
        "Public holidays of {region}: no reminders on them. Next: {day}, {holiday}.",
        region=region,
        day=describe_day(day, overview.today),
        holiday=escape(name),
    )
