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
    checked_region,
    country_names,
)

HOLIDAY_COUNTRY_BLOCK = "holiday_country"
HOLIDAY_REGION_BLOCK = "holiday_region"

FOLLOW_WORKSPACE_VALUE = "default"
REGION_MAX_LENGTH = 40

Errors = dict[str, str]


def holiday_blocks(setting: HolidaySetting) -> list[InputBlock]:
    """The two inputs, showing the person's own choice."""
    default = setting.workspace_default
    general = [
        Option(
            value=FOLLOW_WORKSPACE_VALUE,
            label=f"Workspace default ({default.describe() if default else 'none set'})",
        ),
        Option(value=OWN_CHOICE_NONE, label="No public holidays"),
    ]
    groups = [OptionGroup(label="Choose", options=general)] + [
        OptionGroup(
            label=initial,
            options=[Option(value=code, label=name) for code, name in countries],
        )
        for initial, countries in groupby(country_names().items(), key=lambda item: item[1][0])
    ]
    chosen = setting.own.country or FOLLOW_WORKSPACE_VALUE
    initial = next(
        (option for group in groups for option in group.options if option.value == chosen), None
    )
    country = StaticSelectElement(
        action_id=HOLIDAY_COUNTRY_BLOCK,
        placeholder="Choose a country",
        option_groups=groups,
        initial_option=initial,
    )
    region = PlainTextInputElement(
        action_id=HOLIDAY_REGION_BLOCK,
        placeholder="e.g. BY",
        initial_value=setting.own.subdivision,
        max_length=REGION_MAX_LENGTH,
    )
    return [
        InputBlock(
            block_id=HOLIDAY_COUNTRY_BLOCK,
            label="Public holidays",
            element=country,
            hint="No reminders on the public holidays of this country.",
        ),
        InputBlock(
            block_id=HOLIDAY_REGION_BLOCK,
            label="Region of that country",
            element=region,
            optional=True,
            hint="Where holidays differ within the country: e.g. BY (Bavaria) in DE, CA in US.",
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
        return {HOLIDAY_COUNTRY_BLOCK: "Choose a country, the workspace default, or none."}
    if country in (FOLLOW_WORKSPACE_VALUE, OWN_CHOICE_NONE):
        if region:
            return {HOLIDAY_REGION_BLOCK: "A region needs a country: choose one, or clear this."}
        return FOLLOW_WORKSPACE if country == FOLLOW_WORKSPACE_VALUE else HolidayChoice(country)
    if country not in country_names():
        return {HOLIDAY_COUNTRY_BLOCK: "Choose a country from the list."}
    try:
        found = checked_region(country, region)
    except UnknownRegion as problem:
        return {HOLIDAY_REGION_BLOCK: str(problem)[:150]}
    return HolidayChoice(found.country, found.subdivision)


def _answer(values: dict[Any, Any], block_id: str, key: str) -> Any:
    block = values.get(block_id)
    action = block.get(block_id) if isinstance(block, dict) else None
    return action.get(key) if isinstance(action, dict) else None
