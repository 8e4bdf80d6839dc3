"""Nothing lost, nothing twice: scheduled nudges over a simulated week, with several instances
racing for the same nudges, instances dying mid-send, and Slack answering 429 and 5xx; and the
ways a post can be lost in transit.

See `tests/support/delivery_sim.py` for how the week is simulated. Each instance's pacer is
replaced by one on fake time (`tests.support.pacing.unpaced`): the real one sleeps in real time
until a second has passed since the last message to the same DM, and keeps a workspace to 300
messages a minute. A week squeezed into half a minute sends about 1,200 nudges, with each person's
nudges a fraction of a real second apart: nearly every send would sleep, for minutes in all,
proving nothing about claiming and delivery. Pacing is not what these tests are about."""

from __future__ import annotations

import contextlib
import os
import random
import time as wall
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.blocks.nudge import METADATA_EVENT
from bot.bootstrap import build
from bot.db.leases import LEASE
from bot.db.models import Nudge, Person
from bot.db.people import schedule_for
from bot.domain.clock import FrozenClock
from bot.domain.preferences import Preferences
from bot.domain.schedule import is_work_time, slots_between, work_day_end
from bot.domain.work_pattern import WorkPattern
from tests.support.crashes import InstanceCrashed, crash_when_marking_sent
from tests.support.delivery_sim import (
    WEEKDAYS,
    Chaos,
    Faults,
    Instance,
    Member,
    Responder,
    nudge_messages,
    opt_in,
    simulate,
    team,
)
from tests.support.lossy_proxy import LossyProxy
from tests.support.pacing import pace_with, unpaced

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
# Monday 00:00 UTC; the week holds the start of US daylight saving time (Sunday 8 March, 07:00 UTC)
# for the New York people who work every day.
WEEK_START = datetime(2026, 3, 2, tzinfo=UTC)
WEEK = timedelta(days=7)
# Why a nudge may end `dropped` (never posted): all fine, all counted.
ACCEPTED_DROPS = {
    # Claimed by an instance that died before posting; the lease ran out after the end of work.
    "outside work hours",
    # Left pending (retry after a 5xx) when the next slot came: the newer one is sent instead.
    "superseded by a newer nudge",
}


@dataclass
class Audit:
    rows: int = 0
    messages: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    drops: Counter[str] = field(default_factory=Counter)
    attempts: Counter[int] = field(default_factory=Counter)
    history_checks: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        self.problems.append(text)


def audit(
    container, fake, members: list[Member], start: datetime, end: datetime, chaos: Chaos
) -> Audit:
    """Compare every nudge row with what Slack received and with the schedule."""
    result = Audit()
    with container.sessions() as session:
        people = {p.slack_user_id: p for p in session.scalars(select(Person))}
        rows = list(session.scalars(select(Nudge).order_by(Nudge.id)))
    by_id = {row.id: row for row in rows}
    owner = {person.id: user for user, person in people.items()}
    result.rows = len(rows)

    posted: dict[int, list[dict]] = defaultdict(list)
    per_slot: Counter[tuple[str, datetime]] = Counter()
    for member in members:
        for message in nudge_messages(fake, member.user_id):
            result.messages += 1
            nudge_id = message["metadata"]["event_payload"]["nudge_id"]
            posted[nudge_id].append(message)
            row = by_id.get(nudge_id)
            if row is None:
                result.problem(f"{member.user_id} got a message for unknown nudge {nudge_id}")
                continue
            if owner[row.person_id] != member.user_id:
                result.problem(
                    f"nudge {nudge_id} of {owner[row.person_id]} went to {member.user_id}"
                )
            per_slot[member.user_id, row.slot_at] += 1
    for nudge_id, messages in posted.items():
        if len(messages) > 1:
            result.problem(f"nudge {nudge_id} posted {len(messages)} times")
    for (user, slot), count in per_slot.items():
        if count > 1:
            result.problem(f"{user} got {count} messages for the slot {slot:%a %H:%M}")
    posts = [
        call
        for call in fake.calls_to("chat.postMessage")
        if call.ok and (call.params.get("metadata") or {}).get("event_type") == METADATA_EVENT
    ]
    if len(posts) != result.messages:
        result.problem(f"{len(posts)} successful posts but {result.messages} nudge messages")

    for row in rows:
        result.statuses[row.status] += 1
        result.attempts[row.attempts] += 1
        user = owner[row.person_id]
        messages = posted.get(row.id, [])
        if row.kind != "scheduled":
            result.problem(f"nudge {row.id} of {user} is {row.kind}")
        if row.status == "sent":
            if len(messages) != 1:
                result.problem(f"nudge {row.id} is sent but was posted {len(messages)} times")
            elif (row.channel, row.ts) != ("D" + user[1:], messages[0]["ts"]):
                result.problem(f"nudge {row.id} records {row.channel} {row.ts}, not the message")
        elif row.status == "dropped":
            result.drops[row.note] += 1
            if row.note not in ACCEPTED_DROPS:
                result.problem(f"nudge {row.id} dropped: {row.note}")
            if messages:
                result.problem(f"nudge {row.id} recorded as dropped ({row.note}) but was posted")
        else:
            result.problem(f"nudge {row.id} ended {row.status}: {row.note}")

    for member in members:
        person = people[member.user_id]
        expected = set(slots_between(schedule_for(person), start, end))
        planned = {row.slot_at for row in rows if row.person_id == person.id}
        for slot in sorted(expected - planned):
            result.problem(f"{member.user_id}: no nudge for the slot {slot.isoformat()}")
        for slot in sorted(planned - expected):
            result.problem(f"{member.user_id}: a nudge for {slot.isoformat()}, not a slot")
    result.history_checks = len(fake.calls_to("conversations.history"))
    return result


def racing_week(config, fake_slack, monkeypatch, *, instances: int, people: int, seed: int):
    clock = FrozenClock(WEEK_START)
    # The daily cap (8 by default) leaves the later slots of 30-minute people unplanned, by design
    # (tests/http/test_reminders.py::test_daily_cap); at its maximum every slot must get a nudge.
    config = config.model_copy(update={"daily_nudge_cap": 48})
    pace_with(monkeypatch, unpaced)
    containers = [build(config, clock=clock) for _ in range(instances)]
    racers = [Instance(container) for container in containers]
    try:
        members = team(people)
        opt_in(containers[0], fake_slack, members)
        chaos = Chaos(seed, crash_after_post=0.06, crash_before_post=0.02)
        chaos.install(containers[0].sessions, monkeypatch)
        rng = random.Random(seed)
        # 429 ×3 and 503 ×3 outlast the WebClient's two retries; ×1 is absorbed by them.
        faults = Faults.spread(rng, 600, [(429, 3), (429, 3), (503, 3), (429, 1), (503, 1)])
        responder = Responder(containers[0], fake_slack, members)
        began = wall.monotonic()
        run = simulate(
            racers,
            clock,
            WEEK_START + WEEK,
            responder=responder,
            between_steps=lambda step: faults.inject(fake_slack, step),
            rng=rng,
        )
        seconds = wall.monotonic() - began
        if run.errors:
            raise run.errors[0]
        result = audit(containers[0], fake_slack, members, WEEK_START, run.final, chaos)
    finally:
        for racer in racers:
            racer.close()
        for container in containers:
            container.close()
    outcomes = sum((r.outcomes for r in racers), Counter())
    print(
        f"\n{instances} instance(s) on {containers[0].engine.dialect.name}, {people} people: "
        f"{run.steps} steps in {seconds:.1f}s; {result.rows} nudges, {result.messages} messages; "
        f"statuses {dict(result.statuses)}; drops {dict(result.drops)}; "
        f"attempts {dict(sorted(result.attempts.items()))}; "
        f"crashes after/before posting {sum(chaos.crashes_after_post.values())}/"
        f"{sum(chaos.crashes_before_post.values())}; restarts {[r.restarts for r in racers]}; "
        f"faults {dict(faults.injected)}; history checks {result.history_checks}; "
        f"tick outcomes {dict(outcomes)}; answers {dict(responder.answers)}; "
        f"busy ticking {[round(r.busy, 1) for r in racers]}s, answering {responder.busy:.1f}s"
    )
    assert result.problems == [], "\n".join(result.problems[:30])
    # The chaos happened: claims were lost and recovered, retries were made.
    assert sum(chaos.crashes_after_post.values()) >= 10
    assert sum(chaos.crashes_before_post.values()) >= 3
    assert sum(faults.injected.values()) == 5
    failed_posts = [c for c in fake_slack.calls_to("chat.postMessage") if not c.ok]
    assert len(failed_posts) == sum(times for _, times in faults.plan.values())
    assert outcomes["retry"] >= 1  # some faults outlasted the client's own retries
    assert result.statuses["sent"] >= 0.97 * result.rows
    if instances > 1:  # every instance did its share of the work
        assert all(r.outcomes["sent"] > 0 for r in racers)
    return result


def test_racing_instances_over_a_week_send_every_nudge_once(config, fake_slack, monkeypatch):
    """Three instances racing on PostgreSQL; one on SQLite (a single writer: one host, one
    process). About 40 s on PostgreSQL and 25 s on SQLite on two cores."""
    if ON_POSTGRES:
        racing_week(config, fake_slack, monkeypatch, instances=3, people=24, seed=7)
    else:
        racing_week(config, fake_slack, monkeypatch, instances=1, people=30, seed=7)


def _last_slot_of_the_day(container, clock, fake_slack, member: Member) -> datetime:
    """Opt in, and return the person's last slot of the local day of `clock`."""
    opt_in(container, fake_slack, [member])
    with container.sessions() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == member.user_id))
    schedule = schedule_for(person)
    day = list(slots_between(schedule, clock.now() - timedelta(hours=12), clock.now()))
    day += list(slots_between(schedule, clock.now(), clock.now() + timedelta(hours=12)))
    local_day = clock.now().astimezone(schedule.zone).date()
    return max(slot for slot in day if slot.astimezone(schedule.zone).date() == local_day)


def _crash_after_posting(container, monkeypatch) -> None:
    with monkeypatch.context() as patch:
        crash_when_marking_sent(patch, InstanceCrashed("killed after posting"))
        with contextlib.suppress(InstanceCrashed):
            container.tick()


@pytest.mark.parametrize("meanwhile", ["work ends", "reminders turned off"])
def test_a_posted_nudge_reclaimed_when_no_longer_wanted_is_recorded_as_sent(
    container, fake_slack, clock, monkeypatch, meanwhile
):
    member = Member(
        "U0001",
        "Europe/Berlin",
        Preferences(WorkPattern.every(WEEKDAYS, time(9), time(17)), 60, "office"),
        "done",
    )
    last = _last_slot_of_the_day(container, clock, fake_slack, member)
    clock.set(last - timedelta(minutes=1))
    container.services.reminders.turn_on(member.who, member.profile)  # next_nudge_at = last
    clock.set(last)
    _crash_after_posting(container, monkeypatch)
    [message] = nudge_messages(fake_slack, member.user_id)
    if meanwhile == "reminders turned off":
        container.services.reminders.turn_off(member.who, member.profile)
        clock.set(last + LEASE + timedelta(seconds=1))
    else:
        schedule = schedule_for(_person(container, member))
        clock.set(max(last + LEASE, work_day_end(schedule, last)) + timedelta(seconds=1))
        assert not is_work_time(schedule, clock.now())
    container.tick()  # the lease ran out: reclaimed
    [nudge] = _nudges(container)
    assert nudge_messages(fake_slack, member.user_id) == [message]  # never twice
    assert (nudge.status, nudge.ts) == ("sent", message["ts"])


@pytest.mark.parametrize("lost_as", ["drop", "503"])
def test_a_post_whose_answer_is_lost_is_not_posted_again(config, fake_slack, clock, lost_as):
    with LossyProxy(fake_slack.base_url) as proxy:
        through_proxy = config.model_copy(update={"slack_api_url": proxy.base_url})
        container = build(through_proxy, clock=clock)
        try:
            member = Member(
                "U0001",
                "Europe/Berlin",
                Preferences(WorkPattern.every(WEEKDAYS, time(9), time(17)), 60, "office"),
                "done",
            )
            opt_in(container, fake_slack, [member])
            proxy.lose_next("chat.postMessage", answer=lost_as)
            slot = _person(container, member).next_nudge_at
            for at in (slot, slot + timedelta(minutes=1), slot + timedelta(minutes=10)):
                clock.set(at)
                container.tick()
        finally:
            container.close()
    assert proxy.lost == [("chat.postMessage", lost_as)]
    messages = nudge_messages(fake_slack, member.user_id)
    [nudge] = _nudges(container)
    assert nudge.status == "sent"
    assert len(messages) == 1, f"posted {len(messages)} times"


def test_a_timed_out_post_that_arrived_is_not_posted_again(container, fake_slack, clock):
    """The request reaches Slack but the answer comes after the client gave up: the nudge goes
    back to pending, and the retry finds the message in the DM instead of posting it again."""
    member = Member(
        "U0001",
        "Europe/Berlin",
        Preferences(WorkPattern.every(WEEKDAYS, time(9), time(17)), 60, "office"),
        "done",
    )
    opt_in(container, fake_slack, [member])
    container.senders.for_team("").timeout = 1  # the app's is 15 s; the fake answers after 2
    fake_slack.fail_next("chat.postMessage", status=None, delay=2)
    slot = _person(container, member).next_nudge_at
    clock.set(slot)
    assert container.tick()["nudge delivery"] == {"retry": 1}
    [waiting] = _nudges(container)
    assert waiting.status == "pending" and "network" in waiting.note
    wait_for_messages(fake_slack, member.user_id, 1)
    clock.set(waiting.due_at)
    assert container.tick()["nudge delivery"] == {"sent": 1}
    [sent] = _nudges(container)
    [message] = nudge_messages(fake_slack, member.user_id)
    assert (sent.status, sent.attempts, sent.ts) == ("sent", 2, message["ts"])
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def wait_for_messages(fake, user: str, count: int) -> None:
    deadline = wall.monotonic() + 10
    while len(nudge_messages(fake, user)) < count:
        assert wall.monotonic() < deadline, "the delayed post never landed"
        wall.sleep(0.05)


def _person(container, member: Member) -> Person:
    with container.sessions() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == member.user_id))
        assert person is not None
        return person


def _nudges(container) -> list[Nudge]:
    with container.sessions() as session:
        return list(session.scalars(select(Nudge).order_by(Nudge.id)))
