"""The real `python -m bot` process killed (SIGKILL, mid-send) and started again: no nudge is
posted twice, at most one late nudge follows the downtime, and the new process serves /healthz.

The process uses the real clock, so the person is set up from the test process (through
`ReminderService`, with a schedule that makes now work time) and their `next_nudge_at` is moved
to a couple of seconds from now. Downtime is simulated by moving every stored instant back by
`DOWNTIME` while the process is dead: to the restarted process it looks as if it had been down
that long, longer than `claiming.LEASE`.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time as wall
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.bootstrap import Container, build
from bot.config import Config
from bot.db.leases import LEASE
from bot.db.models import Nudge, Person
from bot.db.people import schedule_for
from bot.domain.preferences import Preferences
from bot.domain.schedule import is_work_time, local_date
from bot.domain.work_pattern import WorkPattern
from bot.services.reminders import reminder_status
from tests.support.delivery_sim import Member, nudge_messages, opt_in
from tests.support.fake_slack import FakeSlack
from tests.support.reminder_helpers import wait_for
from tests.support.signed_requests import SIGNING_SECRET
from tests.support.wsgi_server import free_port

DOWNTIME = timedelta(minutes=95)  # three 30-minute slots missed; longer than the lease
USER = "U0700"
# Offsets from +14 to -10 hours: one of them has a local time between 03:00 and 21:00.
ZONES = (
    "Pacific/Kiritimati",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Europe/Berlin",
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "Pacific/Honolulu",
)


def zone_in_working_hours(now: datetime) -> str:
    """A zone where it is now between 03:00 and 21:00, so that even `DOWNTIME` ago was the same
    local day and the rest of the test stays inside the day."""
    for zone in ZONES:
        if time(3) <= now.astimezone(ZoneInfo(zone)).time() < time(21):
            return zone
    raise AssertionError("no zone in working hours")


class BotProcess:
    """`python -m bot` in its own process group, so that SIGKILL takes gunicorn's worker too."""

    def __init__(self, env: dict[str, str], cwd: Path, log: Path) -> None:
        self.port = int(env["PORT"])
        self._log = log.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=cwd,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.log = log

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=2) as reply:
                return reply.status == 200
        except OSError:
            return False

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = wall.monotonic() + timeout
        while not self.healthy():
            assert self.process.poll() is None, self.output()
            assert wall.monotonic() < deadline, "the server did not come up\n" + self.output()
            wall.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the whole group (master and worker), as a crash or an OOM kill would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        self._log.close()
        return code

    def output(self) -> str:
        self._log.flush()
        return self.log.read_text()

    def ensure_dead(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._log.close()


@contextmanager
def bot_process(config: Config, cwd: Path, log: Path) -> Iterator[BotProcess]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))},
        "SLACK_BOT_TOKEN": config.slack_bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": config.slack_api_url,
        "DATABASE_URL": config.database_url,
        "PORT": str(free_port()),
        "TICK_SECONDS": "0.2",
    }
    process = BotProcess(env, cwd, log)
    try:
        process.wait_healthy()
        yield process
    finally:
        process.ensure_dead()


def rows(container: Container) -> list[Nudge]:
    with container.sessions() as session:
        return list(session.scalars(select(Nudge).order_by(Nudge.id)))


def set_next_nudge(
    container: Container, at: datetime, user: str = USER, *, only_if_later: bool = False
) -> None:
    query = update(Person).where(Person.slack_user_id == user)
    if only_if_later:
        query = query.where(Person.next_nudge_at > at)
    with container.sessions.begin() as session:
        session.execute(query.values(next_nudge_at=at))


def shift_back(container: Container, by: timedelta) -> None:
    """Every stored instant of the schedule `by` earlier: as if the process had been down."""
    with container.sessions.begin() as session:
        for person in session.scalars(select(Person)):
            person.next_nudge_at = person.next_nudge_at and person.next_nudge_at - by
            person.availability_checked_at = person.availability_checked_at - by
        for nudge in session.scalars(select(Nudge)):
            for column in ("slot_at", "due_at", "lease_until", "sent_at", "created_at"):
                value = getattr(nudge, column)
                if value is not None:
                    setattr(nudge, column, value - by)


def post_arrived(fake: FakeSlack) -> bool:
    """The delayed chat.postMessage has reached the fake (it takes its fault on arrival)."""
    return fake.faults_left("chat.postMessage") == 0


def message_ids(fake: FakeSlack) -> Counter[int]:
    return Counter(m["metadata"]["event_payload"]["nudge_id"] for m in nudge_messages(fake, USER))


@pytest.fixture
def person_in_work_hours(config: Config, fake_slack: FakeSlack) -> Iterator[Container]:
    """Someone whose work day (every day, 00:00–23:59, every 30 minutes) holds now and the
    downtime before it, opted in through the app."""
    container = build(config)
    zone = zone_in_working_hours(datetime.now(UTC))
    preferences = Preferences(
        WorkPattern.every(frozenset(range(7)), time(0), time(23, 59)), 30, "office"
    )
    opt_in(container, fake_slack, [Member(USER, zone, preferences, "done")])
    yield container
    container.close()


def test_killed_mid_send_and_restarted_after_downtime_sends_each_nudge_once(
    config, fake_slack, person_in_work_hours, tmp_path
):
    container = person_in_work_hours
    log = tmp_path / "bot.log"
    set_next_nudge(container, datetime.now(UTC) + timedelta(seconds=2))
    with bot_process(config, tmp_path, log) as first:
        wait_for(lambda: len(nudge_messages(fake_slack, USER)) == 1, timeout=15)
        wait_for(lambda: [r.status for r in rows(container)] == ["sent"])
        # The next post reaches Slack but is answered only after 3 s: kill the process meanwhile.
        fake_slack.fail_next("chat.postMessage", status=None, delay=3)
        set_next_nudge(container, datetime.now(UTC))
        wait_for(lambda: [r.status for r in rows(container)] == ["sent", "sending"])
        wait_for(lambda: post_arrived(fake_slack), timeout=5)  # after the pacer's wait
        first.kill()
    # Slack finishes the post the dead process made; the row still says "sending".
    wait_for(lambda: len(nudge_messages(fake_slack, USER)) == 2, timeout=10)
    in_flight = rows(container)[1]
    assert in_flight.status == "sending" and in_flight.attempts == 1

    shift_back(container, DOWNTIME)
    me = reminder_status(_person(container))
    assert me is not None and me.next_at < datetime.now(UTC) - 2 * timedelta(minutes=30)
    assert rows(container)[1].lease_until < datetime.now(UTC) - LEASE

    with bot_process(config, tmp_path, log) as second:
        # The reclaimed nudge is found in the DM history, and one late nudge is sent.
        wait_for(lambda: [r.status for r in rows(container)] == ["sent"] * 3, timeout=15)
        wall.sleep(1.5)  # seven more ticks: nothing else is due
        assert second.healthy()
        code = second.terminate()
    output = log.read_text()
    assert code == 0, output
    assert "Traceback" not in output

    final = rows(container)
    ids = message_ids(fake_slack)
    assert all(count == 1 for count in ids.values()), ids
    assert sorted(ids) == [row.id for row in final]
    assert [row.kind for row in final] == ["scheduled", "scheduled", "late"]
    assert [row.attempts for row in final] == [1, 2, 1]
    assert len(fake_slack.calls_to("conversations.history")) == 1
    now = datetime.now(UTC)
    me = reminder_status(_person(container))
    schedule = schedule_for(_person(container))
    assert now < me.next_at <= now + timedelta(minutes=30)
    assert is_work_time(schedule, final[2].sent_at)
    assert local_date(schedule, final[2].slot_at) == local_date(schedule, now)


def test_sigterm_while_ticking_exits_cleanly(config, fake_slack, person_in_work_hours, tmp_path):
    container = person_in_work_hours
    log = tmp_path / "bot.log"
    set_next_nudge(container, datetime.now(UTC) + timedelta(seconds=1))
    with bot_process(config, tmp_path, log) as process:
        wait_for(lambda: len(nudge_messages(fake_slack, USER)) == 1, timeout=15)
        code = process.terminate()
    output = log.read_text()
    assert code == 0, output
    assert "Traceback" not in output
    assert [r.status for r in rows(container)] == ["sent"]


def _person(container: Container) -> Person:
    with container.sessions() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == USER))
        assert person is not None
        return person


def test_killed_at_random_moments_never_posts_a_nudge_twice(config, fake_slack, tmp_path):
    """Three SIGKILLs at random moments (some posts slow, so some die mid-send), each followed by
    downtime longer than the lease; then a last run that finishes everything."""
    container = build(config)
    try:
        zone = zone_in_working_hours(datetime.now(UTC))
        preferences = Preferences(
            WorkPattern.every(frozenset(range(7)), time(0), time(23, 59)), 30, "office"
        )
        users = [f"U07{i:02d}" for i in range(6)]
        opt_in(container, fake_slack, [Member(u, zone, preferences, "done") for u in users])
        rng = random.Random(11)
        log = tmp_path / "bot.log"
        for _ in range(3):
            for user in users:  # due in the next two seconds (unless already overdue)
                soon = datetime.now(UTC) + timedelta(seconds=rng.uniform(0, 2))
                set_next_nudge(container, soon, user, only_if_later=True)
            fake_slack.fail_next("chat.postMessage", status=None, delay=0.8, times=3)
            with bot_process(config, tmp_path, log) as process:
                wall.sleep(rng.uniform(0.5, 2.5))
                process.kill()
            wall.sleep(1)  # Slack finishes what the dead process started
            shift_back(container, LEASE + timedelta(seconds=30))
        with bot_process(config, tmp_path, log) as process:
            wait_for(lambda: all(r.status in ("sent", "dropped") for r in rows(container)), 15)
            wall.sleep(1)
            assert process.healthy()
            assert process.terminate() == 0
        final = rows(container)
    finally:
        container.close()
    posted: Counter[int] = Counter()
    ts_of = {}
    for user in users:
        for message in nudge_messages(fake_slack, user):
            nudge_id = message["metadata"]["event_payload"]["nudge_id"]
            posted[nudge_id] += 1
            ts_of[nudge_id] = message["ts"]
    assert all(count == 1 for count in posted.values()), posted
    assert {r.id: r.status for r in final} == {r.id: "sent" for r in final}
    assert {r.id: r.ts for r in final} == ts_of
    assert len(final) >= len(users)  # everyone got at least one, most several
    late = Counter(r.person_id for r in final if r.kind == "late")
    assert all(count <= 3 for count in late.values()), late  # at most one per downtime
    crashed = [r for r in final if r.attempts > 1]
    print(
        f"\n{len(final)} nudges, {len(crashed)} reclaimed after a kill; "
        f"{len(fake_slack.calls_to('conversations.history'))} history checks"
    )
