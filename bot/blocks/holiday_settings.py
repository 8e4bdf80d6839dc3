"""The public-holiday fields of the Settings modal — a country (every one the holidays package
supports, grouped by initial, plus "workspace default" and "none") and an optional region — and
the reader of their answers. Like `bot.blocks.settings`, each input's ``action_id`` is its
``block_id``."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    OptionGroup,
    PlainTextInputElement,
    StaticSelectElement,
)

from bot.domain.holidays import (
    FOLLOW_WORKSPACE,
    OWN_CHOICE_NONE,
    HolidayChoice,
    HolidaySetting,
    UnknownRegion,
    alphabetical,
    checked_region,
    country_labels,
    country_names,
)
from bot.domain.i18n import _

HOLIDAY_COUNTRY_BLOCK = "holiday_country"
HOLIDAY_REGION_BLOCK = "holiday_region"

FOLLOW_WORKSPACE_VALUE = "default"
REGION_MAX_LENGTH = 40

Errors = dict[str, str]


def holiday_blocks(setting: HolidaySetting, *, for_workspace: bool = False) -> list[InputBlock]:
    """The two inputs, showing the person's own choice; ``for_workspace``: the workspace default
    itself, in the admin's modal (`bot.blocks.admin`), which has no default to follow."""
    default = setting.workspace_default
    follow = Option(
        value=FOLLOW_WORKSPACE_VALUE,
        label=(
            _("Workspace default ({holidays})", holidays=default.describe())
            if default
            else _("Workspace default (none set)")
        ),
    )
    general = [
        *([] if for_workspace else [follow]),
        Option(value=OWN_CHOICE_NONE, label=_("No public holidays")),
    ]
    groups = [OptionGroup(label=_("Choose"), options=general)] + [
        OptionGroup(
            label=initial,
            options=[Option(value=code, label=name) for code, name in countries],
        )
        for initial, countries in groupby(
            country_labels().items(), key=lambda item: alphabetical(item[1])[:1].upper()
        )
    ]
    chosen = setting.own.country or (OWN_CHOICE_NONE if for_workspace else FOLLOW_WORKSPACE_VALUE)
    initial = next(
        (option for group in groups for option in group.options if option.value == chosen), None
    )
    country = StaticSelectElement(
        action_id=HOLIDAY_COUNTRY_BLOCK,
        placeholder=_("Choose a country"),
        option_groups=groups,
        initial_option=initial,
    )
    region = PlainTextInputElement(
        action_id=HOLIDAY_REGION_BLOCK,
        placeholder=_("e.g. BY"),
        initial_value=setting.own.subdivision,
        max_length=REGION_MAX_LENGTH,
    )
    return [
        InputBlock(
            block_id=HOLIDAY_COUNTRY_BLOCK,
            label=_("Public holidays"),
            element=country,
            hint=(
                _(
                    "No reminders on this country's public holidays for everyone who has not "
                    "chosen their own in Settings."
                )
                if for_workspace
                else _("No reminders on the public holidays of this country.")
            ),
        ),
        InputBlock(
            block_id=HOLIDAY_REGION_BLOCK,
            label=_("Region of that country"),
            element=region,
            optional=True,
            hint=_("Where holidays differ within the country: e.g. BY (Bavaria) in DE, CA in US."),
        ),
    ]


def read_holiday_choice(state_values: Any) -> HolidayChoice | Errors:
    """The choice from a submission's state values, or errors keyed by block id. A country the
    package does not know (a tampered request) or a region it does not have is an error."""
    values = state_values if isinstance(state_values, dict) else {}
    country = _answer(values, HOLIDAY_COUNTRY_BLOCK, "selected_option")
    country = country.get("value") if isinstance(country, dict) else None
    region = _answer(values, HOLIDAY_REGION_BLOCK, "value")
    region = region.strip() if isinstance(region, str) else ""
    if not isinstance(country, str):
        return {HOLIDAY_COUNTRY_BLOCK: _("Choose a country, the workspace default, or none.")}
    if country in (FOLLOW_WORKSPACE_VALUE, OWN_CHOICE_NONE):
        if region:
            return {HOLIDAY_REGION_BLOCK: _("A region needs a country: choose one, or clear this.")}
        return FOLLOW_WORKSPACE if country == FOLLOW_WORKSPACE_VALUE else HolidayChoice(country)
    if country not in country_names():
        return {HOLIDAY_COUNTRY_BLOCK: _("Choose a country from the list.")}
    try:
        found = checked_region(country, region)
    except UnknownRegion as problem:
        return {HOLIDAY_REGION_BLOCK: str(problem)[:150]}
    return HolidayChoice(found.country, found.subdivision)


def _answer(values: dict[Any, Any], block_id: str, key: str) -> Any:
    block = values.get(block_id)
    action = block.get(block_id) if isinstance(block, dict) else None
    return action.get(key) if isinstance(action, dict) else None
