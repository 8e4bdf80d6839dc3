"""Signed requests of malformed shapes, to every entry point: each gets a 2xx with an answer or a
4xx, leaves no ERROR and no traceback in the log, and creates no rows for nonsense.

A table: the well-formed body of each entry point (a command, every block action, the Settings
submission, every event), and what is done to it — a field the listeners read replaced by the
wrong type, a huge or negative id, emptied or removed. Cases marked `harmless` break only a field
that the request does not need, so it may still do its work (and write its rows)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.blocks import ids
from bot.blocks.settings import SETTINGS_CALLBACK
from bot.db.models import Base
from tests.support.in_process import Answer, InProcessApp, Troubles

HUGE = 2**63
EXERCISE = "scapular-retraction"
USER, TEAM = "U0001", "T0001"
REMOVED = object()  # a field left out
BUTTON_VALUES: dict[str, Any] = {
    ids.DONE: {"exercise": EXERCISE, "card": "c0ffee", "source": "command"},
    ids.ANOTHER: {"exercise": EXERCISE, "card": "c0ffee", "source": "command"},
    ids.MORE_LIKE_THIS: {"exercise": EXERCISE, "card": "c0ffee", "source": "command"},
    ids.NOT_FOR_ME: {"exercise": EXERCISE, "card": "c0ffee", "source": "command"},
    ids.START: EXERCISE,
    ids.START_RANDOM: "",
    ids.SNOOZE: {"nudge": 1},
    ids.SKIP: {"nudge": 1},
    ids.REMINDERS_ON: "on",
    ids.REMINDERS_OFF: "off",
    ids.RESUME: "resume",
    ids.PAUSE_TODAY: "today",
    ids.OPEN_SETTINGS: "",
    ids.FORGET_ME: "",
    ids.CHALLENGE_JOIN: {"challenge": 1},
    ids.CHALLENGE_LEAVE: {"challenge": 1},
    ids.CHALLENGE_DONE: {"day": 1},
    ids.LIBRARY_ADD: "add",
    ids.LIBRARY_EDIT: {"exercise": EXERCISE},
    ids.LIBRARY_HIDE: {"exercise": EXERCISE},
    ids.LIBRARY_SHOW: {"exercise": EXERCISE},
    ids.LIBRARY_DELETE: {"exercise": EXERCISE},
    ids.LIBRARY_MANAGE: "manage",
    ids.UNDO_DONE: {"card": "c0ffee", "source": "command", "at": 1},
    ids.UNDO_SKIP: {"nudge": 1, "at": 1},
    ids.MOVED_ANYWAY: {"nudge": 1},
    ids.EDIT_WORKSPACE_DEFAULTS: "edit",
    ids.OPEN_TEAM_VIEW: "team",
    ids.GUIDE_START: {"exercise": EXERCISE, "card": "c0ffee", "source": "command"},
    ids.GUIDE_NEXT: {"exercise": EXERCISE, "card": "c0ffee", "source": "command", "step": 1},
    ids.GUIDE_BACK: {"exercise": EXERCISE, "card": "c0ffee", "source": "command", "step": 0},
    ids.GUIDE_DONE: {"exercise": EXERCISE, "card": "c0ffee", "source": "command", "step": 2},
    ids.PLAN_TIME_OFF: "plan",
    ids.CANCEL_TIME_OFF: {"time_off": 1},
    ids.GROUP_BREAK_JOIN: {"break": 1},
    ids.GROUP_BREAK_DONE: {"break": 1},
}
VALUE_UNREAD = {  # buttons whose value the app never reads: a broken value is harmless
    ids.START_RANDOM,
    ids.REMINDERS_ON,
    ids.REMINDERS_OFF,
    ids.RESUME,
    ids.PAUSE_TODAY,
    ids.OPEN_SETTINGS,
    ids.FORGET_ME,
    ids.EDIT_WORKSPACE_DEFAULTS,
    ids.OPEN_TEAM_VIEW,
    ids.LIBRARY_ADD,
    ids.LIBRARY_MANAGE,
    ids.PLAN_TIME_OFF,
}
EVENTS = [
    "app_home_opened",
    "user_change",
    "dnd_updated_user",
    "app_uninstalled",
    "tokens_revoked",
    "app_mention",
]


@dataclass(frozen=True)
class Case:
    entry: str  # "command", an action id, "view", or an event type
    path: tuple[str | int, ...]  # the field changed, from the top of the payload
    value: Any  # its new value, or REMOVED
    harmless: bool = False

    def __str__(self) -> str:
        value = "removed" if self.value is REMOVED else json.dumps(self.value)[:24]
        return f"{self.entry}:{'.'.join(map(str, self.path)) or 'body'}={value}"


def command(response_url: str) -> dict[str, Any]:
    return {
        "command": "/stretch",
        "text": "on",
        "user_id": USER,
        "team_id": TEAM,
        "channel_id": "C0001",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }


def action(action_id: str, response_url: str) -> dict[str, Any]:
    value = BUTTON_VALUES[action_id]
    return {
        "type": "block_actions",
        "user": {"id": USER, "team_id": TEAM},
        "team": {"id": TEAM},
        "container": {"type": "message", "message_ts": "1.1", "channel_id": "C0001"},
        "trigger_id": "1.2.3",
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b",
                "type": "button",
                "value": value if isinstance(value, str) else json.dumps(value),
                "action_ts": "1.1",
            }
        ],
    }


def view() -> dict[str, Any]:
    return {
        "type": "view_submission",
        "user": {"id": USER, "team_id": TEAM},
        "team": {"id": TEAM},
        "view": {"id": "V1", "type": "modal", "callback_id": SETTINGS_CALLBACK, "state": {}},
    }


def event(event_type: str) -> dict[str, Any]:
    fields: dict[str, dict[str, Any]] = {
        "app_home_opened": {"user": USER, "tab": "home"},
        "user_change": {"user": {"id": USER, "team_id": TEAM, "tz": "Europe/Berlin"}},
        "dnd_updated_user": {"user": USER, "dnd_status": {"dnd_enabled": False}},
        "app_uninstalled": {},
        "tokens_revoked": {"tokens": {"oauth": [], "bot": ["UBOT"]}},
        "app_mention": {"user": USER, "text": "<@UBOT> stretch", "channel": "C0001", "ts": "1.1"},
    }
    return {
        "type": "event_callback",
        "team_id": TEAM,
        "api_app_id": "A1",
        "event": {"type": event_type, "event_ts": "1.1", **fields[event_type]},
        "event_id": "Ev1",
        "event_time": 1,
    }


WRONG_TYPES = [[], ["x"], "x", 7, None, {"id": 7}]
IDENTITY = [  # who is asking, in an interactive payload
    (("user",), value) for value in (*WRONG_TYPES, REMOVED)
] + [(("user", "id"), value) for value in ([], 7, HUGE, None, "", REMOVED)]
SHAPE = [  # of an interactive payload's body
    (("actions",), value) for value in ([], "x", [None], ["x"], [[]], {"0": {}}, None, REMOVED)
] + [(("actions", 0, "value"), value) for value in (7, HUGE, [], {"nudge": 1}, None, REMOVED)]
ANCILLARY = (  # the team falls back to the user's `team_id`
    [(("team",), value) for value in (REMOVED, "T0001", [])]
    + [(("team", "id"), value) for value in ([], 7)]
    + [(("container",), value) for value in ("view", [], 7, None)]
    + [(("enterprise",), value) for value in ("E1", [], 7)]
    + [
        (("trigger_id",), 7),
        (("response_url",), 7),
        (("response_url",), REMOVED),
    ]
)
IDS = [json.dumps(value) for value in (HUGE, HUGE - 1, 2**31, -1, 0, "1", 1.5, True, None, [1])]
TARGETS = (
    [  # the row a button names
        Case(action_id, ("actions", 0, "value"), f'{{"{key}": {number}}}')
        for action_id, key in (
            (ids.CHALLENGE_JOIN, "challenge"),
            (ids.CHALLENGE_LEAVE, "challenge"),
            (ids.CHALLENGE_DONE, "day"),
            (ids.SNOOZE, "nudge"),
            (ids.SKIP, "nudge"),
            (ids.CANCEL_TIME_OFF, "time_off"),
            (ids.GROUP_BREAK_JOIN, "break"),
            (ids.GROUP_BREAK_DONE, "break"),
        )
        for number in IDS
    ]
    + [
        Case(action_id, ("actions", 0, "value"), json.dumps(value))
        for action_id in (ids.DONE, ids.ANOTHER)
        for value in (
            {"exercise": EXERCISE, "card": "nudge-" + "9" * 30, "source": "nudge"},
            {"exercise": EXERCISE, "card": f"nudge-{HUGE}", "source": "nudge"},
            {"exercise": EXERCISE, "card": "nudge-1", "source": "nudge"},  # nobody's nudge
            {"exercise": EXERCISE, "card": ["c0ffee"], "source": "command"},
            {"exercise": EXERCISE, "card": "c0ffee", "source": ["command"]},
            {"exercise": [EXERCISE], "card": "c0ffee", "source": "command"},
            {"exercise": {"id": EXERCISE}, "card": "c0ffee", "source": "command"},
            [EXERCISE],
        )
    ]
    + [Case(ids.START, ("actions", 0, "value"), value) for value in ("nope", "x" * 2000)]
)
COMMAND = [
    Case("command", (field,), value) for field in ("user_id", "team_id") for value in ("", REMOVED)
] + [Case("command", ("text",), REMOVED, harmless=True)]
VIEW = (
    [Case("view", ("view",), value) for value in ("x", [], 7, None, REMOVED)]
    + [
        Case("view", ("view", "state"), value)
        for value in ("x", [], 7, {"values": "x"}, {"values": []})
    ]
    + [Case("view", path, value) for path, value in IDENTITY]
)
EVENT_FIELDS: dict[str, list[tuple[tuple[str, ...], Any]]] = {
    "app_home_opened": [(("user",), v) for v in ([], 7, {"id": USER}, None)]
    + [(("tab",), v) for v in ([], {}, 7)],
    "user_change": [(("user",), v) for v in WRONG_TYPES]
    + [(("user", "id"), v) for v in ([], 7, HUGE)]
    + [(("user", "profile"), v) for v in ([], "x", 7)]
    + [(("user", "tz"), v) for v in ([], 7, "Not/AZone")]
    + [(("user", "profile"), {"status_expiration": v}) for v in (HUGE, -HUGE, "x", [], 1e300)],
    "dnd_updated_user": [(("user",), v) for v in ([], 7, {"id": USER})]
    + [(("dnd_status",), v) for v in ([], ["x"], "x", 7, True)]
    + [
        (("dnd_status",), {"dnd_enabled": True, "next_dnd_start_ts": v, "next_dnd_end_ts": v})
        for v in (HUGE, -HUGE, "x", [], 1e300, None)
    ],
    "app_uninstalled": [],
    "tokens_revoked": [(("tokens",), v) for v in ("x", [], 7, {"bot": "UBOT"}, {"bot": 7})],
    "app_mention": [
        ((field,), v)
        for field in ("user", "text", "channel", "ts", "thread_ts")
        for v in ([], 7, {"id": USER}, None)
    ]
    + [(("text",), v) for v in ("<@UBOT> stretch in 99", "<@UBOT> " + "stretch " * 500)],
}
EVENT = [
    Case(event_type, ("event", *path), value)
    for event_type, changes in EVENT_FIELDS.items()
    for path, value in changes
] + [
    Case(event_type, path, value)
    for event_type in EVENTS
    for path, value in (
        (("team_id",), ""),
        (("team_id",), REMOVED),
        (("team_id",), []),
        (("event",), "x"),
        (("event",), []),
    )
]
CASES = (
    COMMAND
    + [
        Case(action_id, path, value, harmless=action_id in VALUE_UNREAD and path[-1] == "value")
        for action_id in BUTTON_VALUES
        for path, value in IDENTITY + SHAPE
    ]
    + [
        Case(action_id, path, value, harmless=True)
        for action_id in BUTTON_VALUES
        for path, value in ANCILLARY
    ]
    + TARGETS
    + VIEW
    + EVENT
)


def changed(body: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A copy of `body` with the field at `path` set to `value` (or removed); a path through a
    field that is no longer a container changes nothing further."""
    body = copy.deepcopy(body)
    *parents, last = path
    holder: Any = body
    for key in parents:
        holder = holder[key]
    if value is REMOVED:
        del holder[last]
    else:
        holder[last] = value
    return body


def rows(container) -> dict[str, int]:
    with container.sessions() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def app(container, fake_slack):
    fake_slack.add_user(USER)
    in_process = InProcessApp(container)
    response_url = fake_slack.response_url("malformed")
    assert in_process.form(command(response_url)).status == 200  # U0001 exists, reminders on
    return in_process, response_url


def send(in_process: InProcessApp, case: Case, response_url: str) -> Answer:
    if case.entry == "command":
        return in_process.form(changed(command(response_url), case.path, case.value))
    if case.entry == "view":
        return in_process.payload(changed(view(), case.path, case.value))
    if case.entry in EVENTS:
        body = changed(event(case.entry), case.path, case.value)
        return in_process.post(json.dumps(body), "application/json")
    return in_process.payload(changed(action(case.entry, response_url), case.path, case.value))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_malformed_request_gets_an_answer_and_leaves_no_trace(app, container, case):
    in_process, response_url = app
    before = rows(container)
    with Troubles() as troubles:
        answer = send(in_process, case, response_url)
    assert 200 <= answer.status < 300 or 400 <= answer.status < 500, answer
    assert "on my side" not in answer.body  # the request was at fault, not the app
    assert troubles.lines() == []
    if not case.harmless:
        assert rows(container) == before


def test_the_table_covers_every_entry_point():
    entries = {case.entry for case in CASES}
    assert entries == {"command", "view", *BUTTON_VALUES, *EVENTS}
    assert set(BUTTON_VALUES) == {v for k, v in vars(ids).items() if k.isupper()}


def test_slack_refusing_a_call_is_one_warning_line_and_a_bug_keeps_its_traceback(
    app, container, fake_slack, monkeypatch, caplog
):
    """A stale request (here an expired trigger_id) is logged as one line; an exception in our
    own code still reaches operators with its traceback."""
    in_process, response_url = app
    fake_slack.fail_next("views.open", status=None, error="expired_trigger_id")
    with Troubles() as troubles, caplog.at_level("WARNING"):
        answer = in_process.payload(action(ids.OPEN_SETTINGS, response_url))
    assert answer.status == 200 and troubles.lines() == []
    [line] = [r.getMessage() for r in caplog.records if r.name.startswith("slack_bolt")]
    assert (
        line == "SlackApiError for block_actions open_settings: Slack answered expired_trigger_id"
    )

    def broken(*_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(container.services.stretches, "find", broken)
    with Troubles() as troubles:
        assert in_process.payload(action(ids.START, response_url)).status == 200
    [record] = troubles.records
    assert (
        record.levelname == "ERROR" and record.exc_info and "exercise_start" in record.getMessage()
    )
