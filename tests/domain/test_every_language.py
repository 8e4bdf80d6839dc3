"""Every message, view and Home tab the app builds, rendered in every language it speaks and
checked against Slack's Block Kit limits (tests/support/slack_limits.py): translations grow —
German runs a third longer than English — and a label that overflows makes Slack refuse the
whole message. No text object may be empty or blank either (a translation that is only spaces).

Each builder of `bot.blocks` is rendered by a case in `RENDERINGS` with realistic and
worst-case inputs: every exercise and tip of `content/`, many rows, long names, big numbers,
the plural edge cases and every state a builder has. `test_every_builder_is_rendered` finds the
builders by introspection and fails naming one that no case renders, so a builder added later
is checked too. `test_an_overflowing_translation_is_caught` proves the checks bite before the
real catalogs exist, with a German catalog of its own.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from types import ModuleType
from typing import Any

import pytest
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block, ButtonElement

import bot.blocks
from bot.blocks import (
    admin,
    challenge,
    days_off,
    exercise,
    fit,
    group_break,
    guided,
    help,
    holiday_settings,
    home,
    languages,
    library,
    nudge,
    privacy,
    reminders,
    self_reports,
    settings,
    stats,
    team_library,
    team_library_form,
    undo,
    work_hours,
)
from bot.blocks.ids import UNDO_DONE
from bot.blocks.message import Message
from bot.domain import i18n
from bot.domain.challenges import (
    ChallengeEntry,
    ChallengeInfo,
    ChannelNotAllowed,
    DayDone,
    NotAllowedToEnd,
    Outcome,
    Problem,
    Results,
    Standing,
    StatusReport,
)
from bot.domain.challenges import Started as ChallengeStarted
from bot.domain.content import Library, load_library
from bot.domain.days_off import DaysOffOverview, PlannedTimeOff
from bot.domain.fit import RESTRICTIONS, Choice, Fit
from bot.domain.group_breaks import AlreadyOne, Answer, Counted, InvitationState
from bot.domain.group_breaks import Problem as GroupBreakProblem
from bot.domain.group_breaks import Started as GroupBreakStarted
from bot.domain.guided import WalkRef, guide_steps
from bot.domain.holidays import HolidayChoice, HolidayRegion, HolidaySetting
from bot.domain.hours_text import parse_windows
from bot.domain.i18n import LANGUAGES, speaking
from bot.domain.preferences import Preferences
from bot.domain.progress import ProgressView, Streaks, Totals, WeekComparison
from bot.domain.reminders import ReminderStatus
from bot.domain.self_reports import MAX_WHAT_LENGTH
from bot.domain.team_library import (
    HEADER_LENGTH,
    ID_LENGTH,
    Entry,
    Overview,
    Refusal,
    TeamExercise,
    card_limit_problems,
)
from bot.domain.team_view import TeamNumbers, Week
from bot.domain.time_off import MAX_PLANNED, DateSpan
from bot.domain.undo import Restored
from bot.domain.work_pattern import WorkPattern
from bot.domain.workspace_defaults import WorkspaceDefaults
from tests.support.catalogs import only_catalog
from tests.support.slack_limits import TEXT_TYPES, message_problems, view_problems

# --- Inputs: realistic, and the worst a person or the content can give ----------------------

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)  # a Wednesday
TODAY = NOW.date()
LONGEST_ZONE = "America/Argentina/ComodRivadavia"  # the longest IANA name
COUNTS = (0, 1, 2, 5, 21, 123_456)  # plural edge cases (Slavic/Arabic-style forms) and a big one
USERS = [f"U{n:010d}" for n in range(200)]  # a big channel
CHANNELS = frozenset(f"C{n:010d}" for n in range(10))
TYPED = "a very long walk around the whole office building, <!channel> & back up the stairs" * 2

LIBRARY = load_library()
ACTIVITIES = (*LIBRARY.exercises, *LIBRARY.tips)


def _size(item: Any) -> int:
    return len(item.model_dump_json())


LONGEST = max(LIBRARY.exercises, key=_size)
# As long as the team library's form allows: the longest exercise with the longest title.
LONG_TEAM_EXERCISE = LONGEST.model_copy(
    update={"id": "team-" + "x" * (ID_LENGTH - 5), "title": "W" * HEADER_LENGTH}
)
BIG_LIBRARY = Library(
    exercises=tuple(
        e.model_copy(update={"id": f"{e.id}-{n}", "title": f"{e.title} {n}"})
        for n in range(12)
        for e in LIBRARY.exercises
    ),
    tips=LIBRARY.tips,
)

BUSY_DAY = parse_windows("0-6:30, 8:45-12:30, 22:15-0")
PATTERNS = (
    WorkPattern.every(range(5), time(9), time(17)),
    WorkPattern((BUSY_DAY,) * 7),
    WorkPattern(((),) * 6 + (BUSY_DAY,)),
)
PREFERENCES = [
    Preferences(PATTERNS[0], 60, "office"),
    Preferences(
        PATTERNS[1],
        120,
        "home",
        lunch_start=time(12, 30),
        lunch_end=time(13, 45),
        tz_override=LONGEST_ZONE,
        weekly_summary=True,
    ),
    Preferences(PATTERNS[2], 37, "office"),  # an interval the menu does not offer
]
LONG_SCHEDULE = (
    "Mon–Fri 00:00–06:30, 08:45–12:30, 22:15–00:00, Sat–Sun 08:45–12:30, every 120 minutes, at "
    "home, lunch 12:30–13:45"
)
STATUSES = [
    None,
    ReminderStatus(False, LONG_SCHEDULE, None, None, LONGEST_ZONE),
    ReminderStatus(True, LONG_SCHEDULE, NOW + timedelta(minutes=30), None, LONGEST_ZONE),
    ReminderStatus(True, LONG_SCHEDULE, NOW + timedelta(days=3), None, "Asia/Tokyo"),
    ReminderStatus(True, LONG_SCHEDULE, NOW + timedelta(days=40), None, "Pacific/Kiritimati"),
    ReminderStatus(True, LONG_SCHEDULE, None, None, "UTC"),
    ReminderStatus(True, LONG_SCHEDULE, NOW + timedelta(days=2), NOW + timedelta(days=1), "UTC"),
    ReminderStatus(False, LONG_SCHEDULE, None, NOW + timedelta(hours=5), "Europe/Berlin"),
]


def _progress(count: int, *, best: int | None = None, rate: float | None = 0.5) -> ProgressView:
    days = [(TODAY - timedelta(days=n), count) for n in range(6, -1, -1)]
    monday = TODAY - timedelta(days=TODAY.weekday() + 21)
    weeks = [
        [(monday + timedelta(days=7 * w + d), (w + d) % 3 * count) for d in range(7)]
        for w in range(4)
    ]
    favourites = [(f"{e.title} — the long way round", count) for e in LIBRARY.exercises][:5]
    return ProgressView(
        today=TODAY,
        tz=LONGEST_ZONE,
        totals=Totals(count, count * 5, count * 21, count * 250),
        streaks=Streaks(current=count, best=best if best is not None else count),
        done_rate=rate,
        favourites=favourites if count else [],
        self_reported=count,
        last_7_days=days,
        last_4_weeks=weeks,
    )


PROGRESS = [
    _progress(0, rate=None),
    _progress(0, best=4),  # done before, none today: the streak is broken
    *(_progress(count) for count in COUNTS[1:]),
    _progress(1, rate=1.0),
]
STREAKS = [Streaks(0, 0), Streaks(0, 21), *(Streaks(n, n) for n in COUNTS[1:])]
COMPARISONS = [
    WeekComparison(0, 0, 0),
    WeekComparison(1, 0, 1),
    WeekComparison(2, 21, -19),
    WeekComparison(5, 5, 0),
    WeekComparison(123_456, 2, 123_454),
]

CHALLENGE = ChallengeInfo(1, USERS[0], 21, TODAY, TODAY + timedelta(days=29), "09:30", LONGEST_ZONE)
STANDINGS = [[], [Standing(USERS[0], 1, 1)]] + [
    [Standing(u, 21 - n % 22, n + 1) for n, u in enumerate(USERS[:size])] for size in (2, 5, 200)
]
RESULTS = [
    Results(0, None, [], []),
    Results(1, 1 / 21, [], [Standing(USERS[0], 1, 1)]),
    Results(123_456, 0.987, USERS, [Standing(u, 21, n + 1) for n, u in enumerate(USERS[:3])]),
]

TEAM_NUMBERS = [
    ([], [], []),
    (
        [Week(TODAY - timedelta(days=7 * n), 123_456 - n, 5 + n) for n in range(8)],
        [(0, 21), (9, 5), (23, 1)],
        [(e.id, 1000 - n) for n, e in enumerate(LIBRARY.exercises)] + [("a-retired-one", 2)],
    ),
]

HOLIDAY_SETTINGS = [
    HolidaySetting(HolidayChoice(), None),
    HolidaySetting(HolidayChoice(), HolidayRegion("US", "CA")),
    HolidaySetting(HolidayChoice("none"), HolidayRegion("DE")),
    HolidaySetting(HolidayChoice("GB", "NIR"), HolidayRegion("DE", "BY")),
]
SPANS = [
    DateSpan(TODAY, TODAY),
    DateSpan(TODAY + timedelta(days=1), TODAY + timedelta(days=1)),
    DateSpan(TODAY - timedelta(days=3), TODAY + timedelta(days=400)),
    DateSpan(TODAY + timedelta(days=300), TODAY + timedelta(days=700)),
]
OVERVIEWS = [
    None,
    DaysOffOverview(TODAY, (), None, None),
    DaysOffOverview(
        TODAY,
        tuple(PlannedTimeOff(n, SPANS[n % len(SPANS)]) for n in range(MAX_PLANNED)),
        HolidayRegion("GB", "NIR"),
        (TODAY + timedelta(days=40), "Saint Patrick's Day (substitute day) " * 3),
    ),
]


def _defaults(prefs: Preferences, **extra: Any) -> WorkspaceDefaults:
    return WorkspaceDefaults(new_people=prefs, daily_nudge_cap=16, **extra)


DEFAULTS = [
    _defaults(PREFERENCES[0]),
    _defaults(
        PREFERENCES[1],
        challenge_channels=CHANNELS,
        holidays=HolidayRegion("US", "CA"),
        everyone_adds_exercises=True,
    ),
    WorkspaceDefaults(PREFERENCES[2], daily_nudge_cap=1),
]


def _invitations() -> Iterator[InvitationState]:
    for joined in COUNTS:
        for done in (0, 1, joined):
            for posted, ended in ((False, False), (True, False), (True, True)):
                starts = NOW + timedelta(minutes=joined % 16)
                yield InvitationState(7, USERS[0], starts, posted, ended, joined, done)


def _overview_entries() -> list[Entry]:
    team = [
        e.model_copy(update={"source": LONG_TEAM_EXERCISE.source}) for e in BIG_LIBRARY.exercises
    ]
    return [
        Entry(exercise, bool(n % 2), bool(n % 3 == 0), bool(n % 4 < 2), bool(n % 5 < 3))
        for n, exercise in enumerate([LONG_TEAM_EXERCISE, *team])
    ]


# --- One case per builder ---------------------------------------------------------------------
# Each yields what a builder returns: a Message, a view (a dict), blocks, or an element. Calls go
# through the module (`exercise.exercise_card`), so the coverage test can watch them.

Rendered = Message | dict[str, Any] | list[Any] | Block | ButtonElement


def _cards() -> Iterator[Rendered]:
    for activity in (*ACTIVITIES, LONG_TEAM_EXERCISE):
        for source, nudge_id in (("command", None), ("home", 123_456_789)):
            yield exercise.activity_card(activity, "c-123456789", source, nudge_id)
            yield exercise.build_activity_card(activity, "c-1", source, nudge_id)
            yield exercise.card_actions(activity.id, "c-1", source, nudge_id, guided=True)
        yield exercise.done_confirmation(activity, 1)
    for item in LIBRARY.exercises:
        yield exercise.exercise_card(item, "c-1", offer_reminders=True)
        yield exercise.build_activity_card(item, "c-1", "command", 1, offer_reminders=True)
    for count in COUNTS:
        yield exercise.done_confirmation(LONG_TEAM_EXERCISE, count)


def _nudges() -> Iterator[Rendered]:
    for activity in ACTIVITIES:
        for snoozed in (False, True):
            for backoff in (None, 1, 2, 5, 21, 120):
                note = "Nothing fits your restrictions, so here is a movement break instead."
                yield nudge.nudge_message(
                    123_456_789, activity, snoozed=snoozed, backoff_interval=backoff, fit_note=note
                )
        yield nudge.build_nudge_message(1, activity, backoff_interval=2)
    for status in STATUSES[2:]:
        yield nudge.snoozed_message(NOW + timedelta(minutes=10), status.tz)
        yield nudge.skipped_message(status.next_at, status.tz)


def _guided() -> Iterator[Rendered]:
    for item in (*LIBRARY.exercises, LONG_TEAM_EXERCISE):
        steps = guide_steps(item)
        for number in range(len(steps)):
            walk = WalkRef(item.id, "c-123456789", "together", number)
            for advances in (False, True):
                yield guided.step_message(item, steps, walk, advances)
    yield guided.guide_me_button({"exercise": LONGEST.id, "card": "c-1", "source": "nudge"})


def _help() -> Iterator[Rendered]:
    yield help.help_message()
    yield help.error_message("I don't know “" + TYPED + "”.")


def _challenges() -> Iterator[Rendered]:
    for info in (CHALLENGE, replace(CHALLENGE, ended=True)):
        for standings in STANDINGS:
            yield challenge.announcement(info, standings)
        for outcome in RESULTS:
            for days in COUNTS:
                yield challenge.results_message(info, outcome, days)
    for item in LIBRARY.exercises:
        for number, days in ((1, 1), (2, 5), (21, 21)):
            yield challenge.day_post(123_456, number, days, item)
    answers = [
        *Outcome,
        Problem("“" + TYPED + "” is not a number of days between 1 and 30."),
        ChannelNotAllowed(CHANNELS),
        NotAllowedToEnd(USERS[1]),
        ChallengeStarted(CHALLENGE),
        *(DayDone(21, n, already) for n in COUNTS for already in (False, True)),
        *(StatusReport(CHALLENGE, standings) for standings in STANDINGS),
    ]
    for answer in answers:
        yield challenge.challenge_answer(answer)


def _group_breaks() -> Iterator[Rendered]:
    for state in _invitations():
        yield group_break.invitation(state, NOW)
    for item in LIBRARY.exercises:
        yield group_break.exercise_post(123_456, item)
    answers = [
        *(a for a in Answer if a is not Answer.ALREADY_REQUESTED),
        GroupBreakProblem("“" + TYPED + "” is not a time I can read."),
        ChannelNotAllowed(CHANNELS),
        GroupBreakStarted(NOW + timedelta(minutes=5)),
        AlreadyOne(NOW + timedelta(minutes=5)),
        Counted(LONG_TEAM_EXERCISE.title, False),
        Counted(LONG_TEAM_EXERCISE.title, True),
    ]
    for answer in answers:
        yield group_break.group_break_answer(answer)
    yield group_break.mention_usage()


def _home() -> Iterator[Rendered]:
    for lib in (LIBRARY, BIG_LIBRARY):
        for status, progress, overview in zip(STATUSES, PROGRESS, OVERVIEWS * 3, strict=False):
            challenges = [ChallengeEntry(c, n % 2 == 0) for n, c in enumerate(sorted(CHANNELS))]
            section = admin.admin_section(admin.admin_lines(DEFAULTS[1]))
            yield home.home_view(lib, status, progress, challenges, NOW, section, overview)
            yield home.home_view(lib, status, progress, [], NOW)
    for status in STATUSES:
        yield home.reminder_blocks(status, NOW)
    yield home.challenge_blocks([ChallengeEntry("C1", True), ChallengeEntry("C2", False)])


def _reminders() -> Iterator[Rendered]:
    for status in STATUSES[1:]:
        yield reminders.reminders_on_message(status, NOW)
        yield reminders.reminders_off_message(status)
        yield reminders.paused_message(
            "until Monday 4 January at 09:07 (Europe/Berlin)", status, NOW
        )
        yield reminders.resumed_message(status, NOW)
        yield reminders.settings_saved_message(status, NOW)
    for status in STATUSES:
        yield reminders.reminder_buttons(status)


def _stats() -> Iterator[Rendered]:
    for progress in PROGRESS:
        yield stats.stats_message(progress)
        yield stats.progress_blocks(progress)
    for comparison in COMPARISONS:
        for streaks in STREAKS:
            yield stats.weekly_summary_message(comparison, streaks)


def _libraries() -> Iterator[Rendered]:
    for lib in (LIBRARY, BIG_LIBRARY):
        for place in ("office", "home"):
            for restrictions in (frozenset(), frozenset(RESTRICTIONS)):
                yield library.library_message(lib, Fit(place, restrictions))
        yield library.library_message(lib)
        yield library.no_match_message(TYPED, lib)
    yield library.exercise_rows(LIBRARY.exercises, Fit("home", frozenset(RESTRICTIONS)))


def _team_library() -> Iterator[Rendered]:
    entries = _overview_entries()
    for size in (0, 1, 2, 5, 21, len(entries)):
        for may_add, is_admin, everyone in ((True, True, True), (False, False, False)):
            yield team_library.library_view(Overview(entries[:size], may_add, is_admin, everyone))
    yield team_library.import_modal()
    for count in (1, 2, 5, 21, 300):
        problems = [f"entry {n}: steps: {TYPED}" for n in range(count)]
        yield team_library.import_problems_message(problems)
    for added, replaced in ((0, 0), (1, 1), (2, 5), (21, 123_456)):
        yield team_library.imported_message(added, replaced)
    for edited in (False, True):
        yield team_library.saved_message(LONG_TEAM_EXERCISE.title, edited)
    for refusal in Refusal:
        yield team_library.refusal_message(refusal)
    yield team_library_form.exercise_modal()
    for physio in (False, True):
        yield team_library_form.exercise_modal(TeamExercise(LONG_TEAM_EXERCISE, USERS[0], physio))
        for item in LIBRARY.exercises:
            yield team_library_form.exercise_modal(TeamExercise(item, None, physio))


def _admin() -> Iterator[Rendered]:
    for defaults in DEFAULTS:
        yield admin.defaults_modal(defaults)
        yield admin.admin_section(admin.admin_lines(defaults))
    for weeks, hours, top in TEAM_NUMBERS:
        for reminders_on in COUNTS:
            numbers = TeamNumbers(reminders_on, weeks, hours, top)
            yield admin.team_modal(numbers, LIBRARY)
            yield admin.team_message(numbers, LIBRARY)
            yield admin.team_blocks(numbers, LIBRARY)


def _days_off() -> Iterator[Rendered]:
    for span in SPANS:
        for added in (False, True):
            yield days_off.time_off_planned_message(span, TODAY, added=added)
        yield days_off.time_off_cancelled_message(span, TODAY)
    for overview in OVERVIEWS[1:]:
        yield days_off.time_off_list_message(overview)
    for overview in OVERVIEWS:
        yield days_off.time_off_home_blocks(overview)
    yield days_off.no_such_time_off(TYPED)
    for region in (None, HolidayRegion("DE"), HolidayRegion("GB", "NIR")):
        yield days_off.workspace_holidays_message(region)
    yield days_off.not_an_admin_message()
    yield days_off.cancel_needs_number()
    yield days_off.time_off_modal(TODAY)


def _settings() -> Iterator[Rendered]:
    hidden = list(BIG_LIBRARY.exercises)
    for prefs in PREFERENCES:
        for restrictions, shown in ((frozenset(), []), (frozenset(RESTRICTIONS), hidden)):
            more = fit.fit_settings_blocks(restrictions, shown)
            yield settings.settings_modal(prefs, LONGEST_ZONE, more)
            for setting in HOLIDAY_SETTINGS:
                yield settings.settings_modal(
                    prefs, "UTC", holiday_settings.holiday_blocks(setting)
                )
        yield settings.work_blocks(prefs)
        yield work_hours.hours_inputs(prefs.work_pattern)
    for setting in HOLIDAY_SETTINGS:
        for for_workspace in (False, True):
            yield holiday_settings.holiday_blocks(setting, for_workspace=for_workspace)


def _fit() -> Iterator[Rendered]:
    for activity in ACTIVITIES:
        for reason in (None, "Nothing fits your restrictions, so here is a movement break."):
            yield fit.card_for(Choice(activity, reason), "c-1", "command", offer_reminders=True)
            yield fit.card_for(Choice(activity, reason), "c-1", "nudge", 123_456_789)
        card = exercise.activity_card(activity, "c-1", "command")
        yield fit.with_note(card, fit.hidden_note(LONG_TEAM_EXERCISE))
        ruled_out = [(a, "it loads your wrists and lower back") for a in ACTIVITIES]
        yield fit.with_note(card, fit.ruled_out_search_note(TYPED, ruled_out))
    yield fit.card_for(None, "c-1", "command")
    yield fit.nothing_fits_message()


def _hours() -> Iterator[Rendered]:
    for pattern in PATTERNS:
        for status in STATUSES[1:]:
            for saved in (False, True):
                yield work_hours.hours_message(pattern, status, NOW, saved=saved)
    yield work_hours.hours_problem_message("“" + TYPED + "” is not a time like 9 or 17:30.")


def _undo() -> Iterator[Rendered]:
    for activity in (*ACTIVITIES, LONG_TEAM_EXERCISE):
        value = undo.undo_done_value("c-123456789", "command", NOW)
        yield undo.with_undo(exercise.done_confirmation(activity, 21), UNDO_DONE, value)
        for offer in (False, True):
            yield undo.restored_message(Restored(activity, "c-1", "command", offer_reminders=offer))
        for snoozed, backoff in ((False, None), (True, 21)):
            restored = Restored(activity, "c-1", "nudge", False, 123_456, snoozed, backoff)
            yield undo.restored_message(restored)
    yield undo.with_undo(
        nudge.skipped_message(None, "UTC"), "undo_skip", undo.undo_skip_value(1, NOW)
    )


def _self_reports() -> Iterator[Rendered]:
    for count in COUNTS:
        yield self_reports.self_report_message(TYPED[:MAX_WHAT_LENGTH], count)


def _privacy() -> Iterator[Rendered]:
    yield privacy.forget_confirmation()
    for found in (False, True):
        yield privacy.forgotten(found)


def _languages() -> Iterator[Rendered]:
    for current in LANGUAGES:
        for follows_slack in (False, True):
            yield languages.languages_message(current, follows_slack)
            yield languages.language_chosen_message(current, follows_slack)
    yield languages.unknown_language_message(TYPED)


RENDERINGS: dict[str, Callable[[], Iterable[Rendered]]] = {
    "cards": _cards,
    "nudges": _nudges,
    "guided steps": _guided,
    "help and errors": _help,
    "challenges": _challenges,
    "group breaks": _group_breaks,
    "home tab": _home,
    "reminders": _reminders,
    "stats and weekly summaries": _stats,
    "library": _libraries,
    "team library": _team_library,
    "admin": _admin,
    "time off": _days_off,
    "settings": _settings,
    "fit": _fit,
    "hours": _hours,
    "undo": _undo,
    "self-reports": _self_reports,
    "privacy": _privacy,
    "languages": _languages,
}


# --- The checks ---------------------------------------------------------------------------------


def problems_of(rendered: Rendered) -> list[str]:
    """What Slack would refuse in `rendered`, as the message, modal or Home tab it goes out in."""
    if isinstance(rendered, Message):
        payload = rendered.as_kwargs()
        return message_problems(payload) + blank_texts(payload["blocks"])
    if isinstance(rendered, dict):
        return view_problems(rendered) + blank_texts(rendered)
    items = rendered if isinstance(rendered, list) else [rendered]
    blocks = [item.to_dict() if hasattr(item, "to_dict") else item for item in items]
    if blocks and all(block.get("type") == "button" for block in blocks):
        blocks = [{"type": "actions", "elements": blocks}]
    if any(block.get("type") == "input" for block in blocks):
        view = {
            "type": "modal",
            "title": {"type": "plain_text", "text": "Settings"},
            "submit": {"type": "plain_text", "text": "Save"},
            "blocks": blocks,
        }
        return view_problems(view) + blank_texts(blocks)
    return view_problems({"type": "home", "blocks": blocks}) + blank_texts(blocks)


def blank_texts(payload: Any, where: str = "") -> list[str]:
    """Text objects whose text is empty or only whitespace, anywhere in `payload`."""
    if isinstance(payload, list):
        return [p for n, item in enumerate(payload) for p in blank_texts(item, f"{where}[{n}]")]
    if not isinstance(payload, dict):
        return []
    problems = []
    if payload.get("type") in TEXT_TYPES:
        text = payload.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where or 'text'}: blank text {text!r}")
    for key, value in payload.items():
        problems += blank_texts(value, f"{where}.{key}" if where else key)
    return problems


@pytest.fixture(autouse=True)
def fresh_translations():
    """Catalogs and rendered templates from other tests must not leak into these."""
    i18n.forget_translations()
    yield
    i18n.forget_translations()


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("name", list(RENDERINGS))
def test_everything_renders_within_slacks_limits(language, name):
    with speaking(language):
        found, count = render_and_check(RENDERINGS[name])
    assert count > 0
    assert found == {}, f"{language}: {found}"


def render_and_check(render: Callable[[], Iterable[Rendered]]) -> tuple[dict[str, list[str]], int]:
    """The problems of each thing `render` yields, by its number, and how many it yielded. A
    builder that slack_sdk's models refuse to build (they check some lengths themselves, and the
    app would crash there) is a problem too; its case stops at it."""
    found: dict[str, list[str]] = {}
    count = 0
    try:
        for rendered in render():
            problems = problems_of(rendered)
            if problems:
                found[f"#{count} ({_kind(rendered)})"] = problems[:5]
            count += 1
    except SlackObjectFormationError as refused:
        found[f"#{count}"] = [f"slack_sdk refused to build it: {refused}"]
    return found, count


def _kind(rendered: Rendered) -> str:
    if isinstance(rendered, Message):
        return rendered.text[:60]
    if isinstance(rendered, dict):
        return f"{rendered.get('type')} {rendered.get('callback_id', '')}"
    return type(rendered).__name__


# --- Every builder is rendered ------------------------------------------------------------------

# Public functions of bot.blocks that return Block Kit but are not builders of something shown.
NOT_BUILDERS = {
    "bot.blocks.message.section",  # the pieces every builder is made of
    "bot.blocks.message.context",
    "bot.blocks.message.button",
    "bot.blocks.message.notice",
}
NOT_BUILDER_PREFIXES = ("parse_", "read_")  # readers of submissions
BLOCK_KIT = re.compile(r"\b(Message|View|\w*Block|\w*Element)\b|dict\[str, Any\]")


def _block_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"bot.blocks.{info.name}")
        for info in pkgutil.iter_modules(bot.blocks.__path__)
    ]


def public_builders() -> dict[str, Callable[..., Any]]:
    """Functions defined in bot.blocks, not private, that return a Message, a view or blocks."""
    builders = {}
    for module in _block_modules():
        for name, value in vars(module).items():
            if name.startswith("_") or name.startswith(NOT_BUILDER_PREFIXES):
                continue
            function = inspect.unwrap(value) if callable(value) else None
            if not inspect.isfunction(function) or function.__module__ != module.__name__:
                continue
            returns = inspect.signature(function).return_annotation
            if not isinstance(returns, str):
                returns = inspect.formatannotation(returns)
            full_name = f"{module.__name__}.{name}"
            if BLOCK_KIT.search(returns) and full_name not in NOT_BUILDERS:
                builders[full_name] = value
    return builders


def test_every_builder_is_rendered(monkeypatch):
    """Runs every case with each builder watched (wherever a module imported it), and names
    the builders no case reached."""
    builders = public_builders()
    called: set[str] = set()
    for module in _block_modules():
        for attribute, value in list(vars(module).items()):
            for full_name, builder in builders.items():
                if value is builder:
                    monkeypatch.setattr(module, attribute, _watched(builder, full_name, called))
    for render in RENDERINGS.values():
        for _rendered in render():
            pass
    not_rendered = sorted(set(builders) - called)
    assert not_rendered == [], f"add a case to RENDERINGS for {not_rendered}"


def _watched(builder: Callable[..., Any], name: str, called: set[str]) -> Callable[..., Any]:
    def watched(*args: Any, **kwargs: Any) -> Any:
        called.add(name)
        return builder(*args, **kwargs)

    return watched


def test_the_guard_finds_builders_of_every_kind():
    """The introspection sees messages, views, block lists and elements (or it would pass
    vacuously), and leaves the readers out."""
    builders = public_builders()
    for expected in (
        "bot.blocks.exercise.exercise_card",  # Message
        "bot.blocks.settings.settings_modal",  # a view
        "bot.blocks.home.home_view",  # the Home tab
        "bot.blocks.days_off.time_off_home_blocks",  # list[Block]
        "bot.blocks.guided.guide_me_button",  # an element
    ):
        assert expected in builders
    assert "bot.blocks.days_off.read_time_off_dates" not in builders
    assert "bot.blocks.message.encode_value" not in builders
    assert len(builders) > 60


# --- The checks bite ----------------------------------------------------------------------------

GERMAN_CATALOG = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de\\n"

msgid "Another one"
msgstr "{translation}"
"""


def test_an_overflowing_translation_is_caught(monkeypatch):
    """A German catalog whose "Another one" (a card's button) is absurdly long: the German card
    is refused — by slack_sdk's models as the app builds it, and by the limits checker when
    they let it through — while the English card is fine."""

    def card() -> Iterator[Rendered]:
        yield exercise.exercise_card(LONGEST, "c-1")

    with only_catalog("de", GERMAN_CATALOG.format(translation="Noch eine " * 20)):
        with speaking("de"):
            as_built = render_and_check(card)
            monkeypatch.setattr(JsonObject, "validate_json", lambda self: None)
            i18n.forget_translations()
            as_checked = render_and_check(card)
        with speaking("en"):
            english = render_and_check(card)

    assert "cannot exceed 75 characters" in str(as_built)
    assert re.search(r"elements\[\d+\]\.text: 200 > 75 characters", str(as_checked))
    assert english == ({}, 1)


@pytest.mark.parametrize(
    "post",
    [
        lambda item: challenge.day_post(1, 21, 21, item),
        lambda item: group_break.exercise_post(1, item),
    ],
    ids=["challenge day", "group break exercise"],
)
def test_a_team_exercise_with_the_longest_title_fits_every_post(post):
    """The form lets a 150-character title through; the posts' headers put words before it."""
    assert card_limit_problems(LONG_TEAM_EXERCISE) == []

    rendered = post(LONG_TEAM_EXERCISE)
    assert problems_of(rendered) == []
    assert rendered.blocks[0]["text"]["text"].endswith("…")


def test_blank_texts_are_found():
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Settings"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": " \n"}}],
    }

    assert problems_of(view) == ["blocks[0].text: blank text ' \\n'"]
