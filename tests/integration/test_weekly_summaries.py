"""The weekly summary's tick step and the due time it reads (when a summary is due, without a
database: tests/domain/test_weekly_summary_times.py).

The step reads only the people due (through the index), sends once per week at the end of the last
work day, and claims each person by compare-and-set; the column follows settings and zone changes;
migration 0007 backfills without an early DM.
"""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import event, inspect, select, text, update

from bot.db.leases import LEASE
from bot.db.migrate import alembic_config, upgrade
from bot.db.models import Person, WeeklySummary, Workspace
from bot.domain.people import SlackUser
from bot.domain.preferences import Preferences
from bot.domain.work_pattern import WorkPattern
from bot.jobs.weekly_summaries import METADATA_EVENT, WeeklySummaries, due_for_summary
from tests.support.crashes import (
    BUILD_SUMMARY,
    InstanceCrashed,
    crash_on_call,
    crash_when_recording,
)
from tests.support.delivery_sim import WEEKDAYS, Profile
from tests.support.fake_slack import TEAM_ID
from tests.support.migrations import database_at
from tests.support.pacing import FakeTime, paced

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# --- the tick step -----------------------------------------------------------------------------


def summaries_on(
    work_days: frozenset[int] = WEEKDAYS, start: time = time(9), end: time = time(17)
) -> Preferences:
    pattern = WorkPattern.every(work_days, start, end)
    return Preferences(pattern, 60, "office", weekly_summary=True)


def save(container, preferences: Preferences, user: str = "U0001", tz: str = BERLIN) -> None:
    container.services.reminders.save_preferences(
        SlackUser(TEAM_ID, user), Profile(user, tz), preferences
    )


def row(container, user: str = "U0001") -> Person:
    with container.sessions() as session:
        found = session.scalar(select(Person).where(Person.slack_user_id == user))
        assert found is not None
        return found


INSTANCES = itertools.count()


def step(container, clock, sessions=None) -> WeeklySummaries:
    """The step as another instance would run it (a name of its own for its claims)."""
    fake = FakeTime()  # paced in fake time: a DM waits a real second after the last one
    pacer = paced(300, fake)
    return WeeklySummaries(
        sessions or container.sessions,
        clock,
        container.services.stretches.libraries,
        container.senders.for_workspace,
        pacer,
        f"instance-{next(INSTANCES)}",
    )


class WritesAfter:
    """The container's sessions, except that the first write waits for `meanwhile()` to run:
    what another instance does between this one's read and its write."""

    def __init__(self, sessions, meanwhile) -> None:
        self.sessions = sessions
        self.meanwhile = meanwhile

    def __call__(self):
        return self.sessions()

    def begin(self):
        meanwhile, self.meanwhile = self.meanwhile, lambda: None
        meanwhile()
        return self.sessions.begin()


def summary_dms(fake_slack, user: str = "U0001") -> list[dict]:
    return [
        m
        for m in fake_slack.messages(user)
        if (m.get("metadata") or {}).get("event_type") == METADATA_EVENT
    ]


def test_saved_settings_set_the_due_time(container, clock) -> None:
    save(container, summaries_on())
    assert row(container).weekly_summary_due_at == utc(2026, 11, 27, 16)
    save(container, summaries_on(frozenset(range(4))))  # Monday to Thursday
    assert row(container).weekly_summary_due_at == utc(2026, 11, 26, 16)
    save(container, Preferences(WorkPattern.every(WEEKDAYS, time(9), time(17)), 60, "office"))
    assert row(container).weekly_summary_due_at is None


def test_a_move_to_another_zone_moves_the_due_time(container, clock) -> None:
    save(container, summaries_on())
    container.services.people.user_changed(
        SlackUser(TEAM_ID, "U0001"), {"id": "U0001", "tz": "Asia/Kathmandu"}
    )
    assert row(container).weekly_summary_due_at == utc(2026, 11, 27, 11, 15)


def test_turning_reminders_on_with_a_new_zone_moves_the_due_time(container, clock) -> None:
    save(container, summaries_on())
    who = SlackUser(TEAM_ID, "U0001")
    container.services.reminders.turn_on(who, Profile("U0001", "America/New_York"))
    assert row(container).weekly_summary_due_at == utc(2026, 11, 27, 22)


WALKS = {
    "Berlin, across the week clocks go back": (
        BERLIN,
        summaries_on(),
        utc(2026, 10, 19),
        [utc(2026, 10, 23, 15), utc(2026, 10, 30, 16), utc(2026, 11, 6, 16)],
    ),
    "New York, Sundays ending 02:30, across the spring gap": (
        NEW_YORK,
        summaries_on(frozenset({6}), time(0), time(2, 30)),
        utc(2026, 2, 23, 12),  # Monday
        [utc(2026, 3, 1, 7, 30), utc(2026, 3, 8, 7, 30), utc(2026, 3, 15, 6, 30)],
    ),
    "Kathmandu, Monday to Thursday": (
        "Asia/Kathmandu",
        summaries_on(frozenset(range(4)), end=time(16)),
        utc(2026, 6, 1),
        [utc(2026, 6, 4, 10, 15), utc(2026, 6, 11, 10, 15), utc(2026, 6, 18, 10, 15)],
    ),
}


@pytest.mark.parametrize(("tz", "preferences", "start", "due"), WALKS.values(), ids=WALKS.keys())
def test_one_summary_a_week_at_the_end_of_the_last_work_day(
    container, clock, fake_slack, tz, preferences, start, due
) -> None:
    """Ticks every 15 minutes for three weeks: each summary at the tick it falls due."""
    fake_slack.add_user("U0001", tz=tz)
    clock.set(start)
    save(container, preferences, tz=tz)
    weekly = step(container, clock)
    sent_at = []
    while clock.now() < start + timedelta(weeks=3):
        if weekly.run()["sent"]:
            sent_at.append(clock.now())
        clock.advance(minutes=15)
    assert sent_at == due  # every due time is on the 15-minute grid
    assert len(summary_dms(fake_slack)) == 3


def test_an_idle_tick_reads_one_batch_of_nobody(container, clock) -> None:
    for n in range(30):
        save(container, summaries_on(), user=f"U{n:04d}")
    statements: list[str] = []
    event.listen(container.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert step(container, clock).run()["sent"] == 0
    assert len(statements) == 2  # the people due, and the summaries to send: none of either
    assert "weekly_summary_due_at" in statements[0] and "weekly_summaries" in statements[1]


def test_two_instances_send_each_summary_once(container, clock, fake_slack) -> None:
    users = [f"U{n:04d}" for n in range(25)]
    for user in users:
        fake_slack.add_user(user, tz=BERLIN)
        save(container, summaries_on(), user=user)
    clock.set(utc(2026, 11, 27, 16, 30))
    instances = [step(container, clock), step(container, clock)]
    sent = [0, 0]

    def run(i: int) -> None:
        sent[i] = instances[i].run()["sent"]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == len(users)
    assert all(len(summary_dms(fake_slack, user)) == 1 for user in users)


def test_a_stale_claim_loses_even_after_settings_set_the_time_back(
    container, clock, fake_slack
) -> None:
    """Instance B read the person before A sent; then a settings save put the due time back to
    this evening. B's compare-and-set still finds the week already sent."""
    fake_slack.add_user("U0001", tz=BERLIN)
    save(container, summaries_on())
    clock.set(utc(2026, 11, 27, 16, 30))
    stale = row(container)

    def a_sends_then_settings_set_the_time_back() -> None:
        assert step(container, clock).run()["sent"] == 1
        save(container, summaries_on())
        assert row(container).weekly_summary_due_at == stale.weekly_summary_due_at

    b = step(
        container, clock, WritesAfter(container.sessions, a_sends_then_settings_set_the_time_back)
    )
    assert b.run()["sent"] == 0  # B read `stale`, wants to send; its claim lost, so it sent nothing
    assert step(container, clock).run()["sent"] == 0
    assert row(container).weekly_summary_due_at == utc(2026, 12, 4, 16)
    assert len(summary_dms(fake_slack)) == 1


def test_a_backfilled_due_time_waits_for_the_real_one(container, clock, fake_slack) -> None:
    """Migration 0007 sets opted-in people due "now": the step only recomputes, unless the
    summary really is due and not yet sent."""
    fake_slack.add_user("U0001", tz=BERLIN)
    save(container, summaries_on())

    def backfilled(sent_for: str | None = None) -> None:
        with container.sessions.begin() as session:
            session.execute(
                update(Person).values(
                    weekly_summary_due_at=clock.now(), weekly_summary_sent_for=sent_for
                )
            )

    backfilled()  # a Tuesday
    assert step(container, clock).run()["sent"] == 0
    assert row(container).weekly_summary_due_at == utc(2026, 11, 27, 16)
    clock.set(utc(2026, 11, 27, 18))
    backfilled(sent_for="2026-W48")  # Friday evening, already sent before the migration
    assert step(container, clock).run()["sent"] == 0
    backfilled()  # Friday evening, not sent yet: it is due
    assert step(container, clock).run()["sent"] == 1
    assert row(container).weekly_summary_due_at == utc(2026, 12, 4, 16)


def test_deactivated_and_uninstalled_are_moved_on_without_a_dm(
    container, clock, fake_slack
) -> None:
    for user in ("U0001", "U0002"):
        fake_slack.add_user(user, tz=BERLIN)
        save(container, summaries_on(), user=user)
    with container.sessions.begin() as session:
        session.execute(
            update(Person).where(Person.slack_user_id == "U0001").values(deactivated_at=clock.now())
        )
    clock.set(utc(2026, 11, 27, 16, 30))
    assert step(container, clock).run()["sent"] == 1
    with container.sessions.begin() as session:
        session.execute(update(Workspace).values(active=False))
    clock.set(utc(2026, 12, 4, 16, 30))
    assert step(container, clock).run()["sent"] == 0
    assert summary_dms(fake_slack, "U0001") == []
    assert len(summary_dms(fake_slack, "U0002")) == 1
    next_week = utc(2026, 12, 11, 16)
    assert {row(container, u).weekly_summary_due_at for u in ("U0001", "U0002")} == {next_week}


def test_the_due_query_reads_the_due_time_index(container, clock) -> None:
    statement = due_for_summary(clock.now()).compile(container.engine)
    sql, parameters = str(statement), statement.params
    with container.engine.connect() as connection:
        if container.engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, _sqlite(parameters))
            plan = "\n".join(r[3] for r in rows)
        else:  # a handful of rows: make the planner show whether it *can* use the index
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = "\n".join(r[0] for r in connection.exec_driver_sql("EXPLAIN " + sql, parameters))
        connection.rollback()
    assert "ix_people_weekly_summary_due_at" in plan, plan
    assert "SCAN people\n" not in plan + "\n" and "Seq Scan on people" not in plan, plan


def _sqlite(parameters: dict[str, Any]) -> tuple:
    return tuple(
        v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in parameters.values()
    )


# --- migration 0007 ----------------------------------------------------------------------------


def test_migration_0007_backfills_opted_in_people_as_due_now(tmp_path: Path) -> None:
    url, engine = database_at("0006", tmp_path)
    with engine.begin() as connection:
        for user, on in (("U1", 1), ("U2", 0)):
            connection.execute(
                text(
                    "INSERT INTO people (workspace_id, slack_user_id, tz, place, created_at, "
                    "weekly_summary) VALUES (1, :user, 'UTC', 'office', '2026-01-01', :on)"
                ),
                {"user": user, "on": on},
            )
    before = datetime.now(UTC)
    upgrade(url)
    after = datetime.now(UTC)
    with engine.connect() as connection:
        due = dict(
            connection.execute(
                text("SELECT slack_user_id, weekly_summary_due_at FROM people")
            ).all()
        )
    assert due["U2"] is None
    assert (
        before.replace(tzinfo=None)
        <= datetime.fromisoformat(due["U1"])
        <= after.replace(tzinfo=None)
    )
    indexes = {index["name"] for index in inspect(engine).get_indexes("people")}
    assert "ix_people_weekly_summary_due_at" in indexes
    command.downgrade(alembic_config(url), "0006")
    assert "weekly_summary_due_at" not in {c["name"] for c in inspect(engine).get_columns("people")}
    engine.dispose()


def summary(container, user: str = "U0001") -> WeeklySummary:
    with container.sessions() as session:
        found = session.scalar(
            select(WeeklySummary).join(Person).where(Person.slack_user_id == user)
        )
        assert found is not None
        return found


def test_a_rate_limited_summary_is_sent_after_retry_after_and_once(
    container, clock, fake_slack
) -> None:
    """A 429 posted nothing: the summary goes after Retry-After, not before."""
    fake_slack.add_user("U0001", tz=BERLIN)
    save(container, summaries_on())
    clock.set(utc(2026, 11, 27, 16, 30))
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=40)
    weekly = step(container, clock)
    assert weekly.run()["retry"] == 1 and summary_dms(fake_slack) == []
    assert summary(container).due_at == clock.now() + timedelta(seconds=40)
    clock.advance(seconds=20)
    assert weekly.run()["sent"] == 0  # not before Retry-After
    clock.advance(seconds=30)
    assert weekly.run()["sent"] == 1
    clock.advance(minutes=30)
    assert weekly.run()["sent"] == 0
    assert len(summary_dms(fake_slack)) == 1


def test_a_summary_whose_post_failed_with_a_5xx_is_sent_once_after_a_backoff(
    container, clock, fake_slack
) -> None:
    """A 500 may come after Slack posted it: retried after 30 s, then 60 s, each time looking in
    the DM first, and sent once."""
    fake_slack.add_user("U0001", tz=BERLIN)
    save(container, summaries_on())
    clock.set(utc(2026, 11, 27, 16, 30))
    fake_slack.fail_next("chat.postMessage", status=500, times=2)
    weekly = step(container, clock)
    assert weekly.run()["retry"] == 1
    clock.advance(seconds=30)
    assert weekly.run()["retry"] == 1
    assert summary(container).due_at == clock.now() + timedelta(seconds=60)
    clock.advance(seconds=60)
    assert weekly.run()["sent"] == 1
    assert (summary(container).status, summary(container).attempts) == ("sent", 3)
    assert len(summary_dms(fake_slack)) == 1
    assert len(fake_slack.calls_to("conversations.history")) == 2


def test_a_crash_between_claim_and_post_sends_the_summary_once_the_lease_runs_out(
    container, clock, fake_slack, monkeypatch
) -> None:
    """Killed after claiming the week's summary, before posting it: the week is not skipped."""
    fake_slack.add_user("U0001", tz=BERLIN)
    save(container, summaries_on())
    clock.set(utc(2026, 11, 27, 16, 30))
    with monkeypatch.context() as patch, pytest.raises(InstanceCrashed):
        crash_on_call(patch, BUILD_SUMMARY)
        step(container, clock).run()
    assert summary_dms(fake_slack) == [] and summary(container).status == "sending"
    clock.advance(minutes=1)  # the lease still holds
    assert step(container, clock).run()["sent"] == 0
    clock.advance(seconds=LEASE.total_seconds())
    assert step(container, clock).run()["sent"] == 1
    assert len(summary_dms(fake_slack)) == 1
    clock.advance(days=1)
    assert step(container, clock).run()["sent"] == 0 and len(summary_dms(fake_slack)) == 1


def test_a_crash_between_post_and_record_does_not_send_the_summary_again(
    container, clock, fake_slack, monkeypatch
) -> None:
    """Killed after posting, before recording it: once the lease runs out the summary is claimed
    again, and the DM's history shows it was sent."""
    fake_slack.add_user("U0001", tz=BERLIN)
    save(container, summaries_on())
    clock.set(utc(2026, 11, 27, 16, 30))
    with monkeypatch.context() as patch, pytest.raises(InstanceCrashed):
        crash_when_recording(patch, WeeklySummary, "sent")
        step(container, clock).run()
    [message] = summary_dms(fake_slack)
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert step(container, clock).run()["sent"] == 1
    found = summary(container)
    assert (found.status, found.attempts, found.ts) == ("sent", 2, message["ts"])
    assert summary_dms(fake_slack) == [message]
