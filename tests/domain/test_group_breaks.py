"""Group breaks' pure parts: `/stretch together [now | in N]`, the timing, which exercises suit
a group, reading a mention, and every message within Block Kit limits (the whole flow through
Slack: tests/http/test_group_breaks.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.group_break import exercise_post, group_break_answer, invitation, mention_usage
from bot.domain.content import Library, load_library
from bot.domain.group_breaks import (
    GRACE,
    AlreadyOne,
    Answer,
    Counted,
    GroupBreakInputError,
    InvitationState,
    Problem,
    Started,
    mention_request,
    minutes_until,
    parse_delay,
    pick_for_group,
    suits_a_group,
    timing,
)
from tests.support.slack_limits import message_problems

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.mark.parametrize(
    ("args", "minutes"),
    [
        ("", 2),
        ("now", 0),
        ("NOW", 0),
        ("in 5", 5),
        ("in 1 minute", 1),
        ("in 10 min", 10),
        ("in  60  minutes", 60),
        ("in 15m", 15),
    ],
)
def test_when_it_starts(args, minutes):
    assert parse_delay(args) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("in 0", "1 to 60 minutes — “0”"),
        ("in 61", "1 to 60 minutes — “61”"),
        ("in -3", "1 to 60 minutes — “-3”"),
        ("soon", "couldn't read “soon”"),
        ("5", "couldn't read “5”"),
        ("in five", "couldn't read “in five”"),
        ("at 14:00", "couldn't read “at 14:00”"),
        ("x" * 3000, "couldn't read “" + "x" * 59 + "…”"),
    ],
)
def test_bad_starts_are_explained_with_an_example(args, expected):
    with pytest.raises(GroupBreakInputError) as raised:
        parse_delay(args)
    assert expected in str(raised.value)
    assert "`/stretch together in 5`" in str(raised.value)


@given(
    requested_at=st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 — hypothesis wants naive bounds
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    delay=st.integers(min_value=0, max_value=60),
    exercise_minutes=st.integers(min_value=1, max_value=15),
)
def test_the_break_starts_after_the_delay_and_closes_after_the_exercise(
    requested_at, delay, exercise_minutes
):
    when = timing(requested_at, timedelta(minutes=delay), exercise_minutes)
    assert when.starts_at - requested_at == timedelta(minutes=delay)
    assert when.closes_at - when.starts_at == timedelta(minutes=exercise_minutes) + GRACE
    assert minutes_until(requested_at, when.starts_at) == delay
    assert minutes_until(when.starts_at, when.starts_at) == 0


def test_minutes_until_rounds_up_and_never_goes_negative():
    assert minutes_until(NOW, NOW + timedelta(seconds=61)) == 2
    assert minutes_until(NOW, NOW + timedelta(seconds=1)) == 1
    assert minutes_until(NOW, NOW - timedelta(minutes=3)) == 0


def test_only_seated_or_standing_exercises_without_a_mat_suit_a_group(library):
    suitable = {e.id for e in library.exercises if suits_a_group(e)}
    assert suitable == {
        "scapular-retraction",
        "seated-lumbar-stretch",
        "standing-hamstring-stretch",
    }
    for exercise in library.exercises:
        if exercise.id not in suitable:
            assert exercise.position in ("lying", "all fours") or "mat" in exercise.equipment


def test_the_pick_suits_a_group_is_repeatable_and_varies(library):
    picks = {pick_for_group(library.exercises, f"C0001:{n}").id for n in range(40)}
    assert len(picks) > 1
    assert all(suits_a_group(library.exercise(pick)) for pick in picks)
    assert pick_for_group(library.exercises, "x") == pick_for_group(library.exercises, "x")


def test_no_pick_when_nothing_suits_a_group(library):
    floor_only = [e for e in library.exercises if not suits_a_group(e)]
    assert pick_for_group(floor_only, "seed") is None


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("<@UBOT> stretch", ""),
        ("<@UBOT> Stretch now", "now"),
        ("<@UBOT|stretchbot> stretch in 5", "in 5"),
        ("<@UBOT>   stretch together in 10 min", "in 10 min"),
        ("<@UBOT> hello", None),
        ("<@UBOT>", None),
        ("stretch", ""),
    ],
)
def test_a_mention_asks_for_a_group_break_when_it_says_stretch(text, args):
    assert mention_request(text) == args


def state(**changes) -> InvitationState:
    values = {
        "group_break_id": 7,
        "started_by": "U0001",
        "starts_at": NOW + timedelta(minutes=2),
        "exercise_posted": False,
        "ended": False,
        "joined": 1,
        "done": 0,
    }
    return InvitationState(**(values | changes))


def test_the_invitation_counts_down_and_counts_people():
    message = invitation(state(joined=3), NOW)
    assert message.text.startswith("Stretch break in 2 minutes")
    assert "3 people in" in str(message.blocks)
    assert "I'm in" in str(message.blocks)
    later = invitation(state(joined=1), NOW + timedelta(seconds=90))
    assert later.text.startswith("Stretch break in 1 minute ")
    assert "1 person in" in str(later.blocks)


def test_the_invitation_during_and_after_the_break():
    during = invitation(state(exercise_posted=True, joined=4, done=2), NOW)
    assert "in the thread" in str(during.blocks) and "4 people in · 2 done" in during.text
    ended = invitation(state(exercise_posted=True, ended=True, joined=4, done=1), NOW)
    assert ended.text == "Stretch break done: 4 people joined · 1 person did it."
    assert "I'm in" not in str(ended.blocks)  # no buttons once it is over


@pytest.mark.parametrize(
    "shown",
    [
        state(),
        state(joined=0),
        state(joined=10**6, done=10**6),
        state(exercise_posted=True, joined=12, done=9),
        state(ended=True, joined=2**31, done=2**31),
    ],
)
def test_invitations_stay_within_block_kit_limits_and_ping_nobody(shown):
    message = invitation(shown, NOW)
    assert message_problems(message.as_kwargs()) == []
    for ping in ("<!channel>", "<!here>", "<!everyone>"):
        assert ping not in str(message.as_kwargs())


def test_every_group_exercise_post_stays_within_block_kit_limits(library):
    for exercise in library.exercises:
        message = exercise_post(2**31 - 1, exercise)
        assert message_problems(message.as_kwargs()) == []
        assert message.text == f"Together now: {exercise.title}"


@pytest.mark.parametrize(
    "outcome",
    [
        *[answer for answer in Answer if answer is not Answer.ALREADY_REQUESTED],
        Started(NOW),
        AlreadyOne(NOW),
        Problem("I couldn't read “<!channel>” as a start."),
        Counted("Seated lumbar stretch", already_counted=True),
    ],
)
def test_every_answer_is_a_short_valid_message(outcome):
    message = group_break_answer(outcome)
    assert message is not None
    assert message_problems(message.as_kwargs()) == []
    assert "<!channel>" not in message.text


def test_a_redelivered_mention_gets_no_answer_and_the_usage_is_valid():
    assert group_break_answer(Answer.ALREADY_REQUESTED) is None
    assert message_problems(mention_usage().as_kwargs()) == []
