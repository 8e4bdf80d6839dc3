"""Cards, nudges and the Home tab reuse what they rendered before: the result must be exactly what
rendering from scratch through slack_sdk.models gives, for every piece of content."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from slack_sdk.models.blocks import ActionsBlock
from slack_sdk.models.views import View

from bot.blocks.exercise import activity_card, build_activity_card, exercise_card
from bot.blocks.home import home_view
from bot.blocks.message import button, section
from bot.blocks.nudge import build_nudge_message, nudge_message
from bot.blocks.rendered import ByIdentity, StoredBlocks
from bot.domain.challenges import ChallengeEntry
from bot.domain.content import load_library
from bot.domain.progress import DoneEvent, progress_view
from bot.domain.reminders import ReminderStatus

LIBRARY = load_library()
ACTIVITIES = [*LIBRARY.exercises, *LIBRARY.tips]
CARDS = ["0f3c9a7e5b1d4c2a8e6f0b9d7c5a3e1f", "nudge-7", "x", "é-ü" * 20]
NUDGES = [None, 1, 123456789]
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("activity", ACTIVITIES, ids=lambda activity: activity.id)
def test_cards_equal_freshly_built_ones(activity):
    for card, nudge_id, source in itertools.product(CARDS, NUDGES, ["command", "nudge"]):
        expected = build_activity_card(activity, card, source, nudge_id)
        assert activity_card(activity, card, source, nudge_id) == expected


@pytest.mark.parametrize("exercise", LIBRARY.exercises, ids=lambda exercise: exercise.id)
def test_exercise_cards_with_the_reminder_offer_equal_freshly_built_ones(exercise):
    for card, offer in itertools.product(CARDS, [True, False]):
        expected = build_activity_card(exercise, card, "command", offer_reminders=offer)
        assert exercise_card(exercise, card, offer_reminders=offer) == expected


@pytest.mark.parametrize("activity", ACTIVITIES, ids=lambda activity: activity.id)
def test_nudges_equal_freshly_built_ones(activity):
    for nudge_id, snoozed, backoff in itertools.product([1, 42, 10**9], [False, True], [None, 120]):
        options = {"snoozed": snoozed, "backoff_interval": backoff}
        expected = build_nudge_message(nudge_id, activity, **options)
        assert nudge_message(nudge_id, activity, **options) == expected


def test_each_message_gets_blocks_of_its_own():
    exercise = LIBRARY.exercises[0]
    first = exercise_card(exercise, "first")
    first.blocks[0]["text"]["text"] = "changed"
    first.blocks.clear()
    assert exercise_card(exercise, "first") == build_activity_card(exercise, "first", "command")


def test_another_library_with_the_same_ids_gets_its_own_cards():
    exercise = LIBRARY.exercises[0]
    renamed = exercise.model_copy(update={"title": "Renamed"})
    exercise_card(exercise, "card")
    assert exercise_card(renamed, "card").blocks[0]["text"]["text"] == "Renamed"


def test_identity_keys():
    exercise = LIBRARY.exercises[0]
    assert ByIdentity(exercise) == ByIdentity(exercise)
    assert ByIdentity(exercise) != ByIdentity(exercise.model_copy())
    assert hash(ByIdentity(exercise)) == hash(ByIdentity(exercise))


def test_stored_blocks_fill_in_only_the_named_buttons():
    buttons = ActionsBlock(elements=[button("A", "a", "old a"), button("B", "b", "old b")])
    stored = StoredBlocks.render([section("hi"), buttons])
    [text, actions] = stored.fresh({"a": {"card": "c1"}, "missing": "x"})
    assert text == section("hi").to_dict()
    assert [element["value"] for element in actions["elements"]] == ['{"card":"c1"}', "old b"]
    assert stored.fresh() == [section("hi").to_dict(), buttons.to_dict()]


HOMES = [
    (None, [], []),
    (
        ReminderStatus(True, "Weekdays 09:00–17:00 UTC, every 60 minutes", NOW, None, "UTC"),
        [DoneEvent(NOW, LIBRARY.exercises[0].id, "command")],
        [ChallengeEntry("C1", True), ChallengeEntry("C2", False)],
    ),
    (
        ReminderStatus(False, "Weekdays 09:00–17:00 UTC, every 60 minutes", None, None, "UTC"),
        [],
        [],
    ),
]


@pytest.mark.parametrize(("status", "done", "challenges"), HOMES)
def test_home_view_is_what_slack_sdk_renders(status, done, challenges):
    progress = progress_view(
        done, [], [], tz="UTC", work_days=frozenset(range(5)), now=NOW, titles={}
    )
    view = home_view(LIBRARY, status, progress, challenges, NOW)
    assert View(**view).to_dict() == view  # parsed back and validated by slack_sdk: the same
    assert home_view(LIBRARY, status, progress, challenges, NOW) == view
