"""Scale of the tick: 100,000 people, of whom 0, 100 and 10,000 are due.

For each database: a fresh database with the population (opted in, work hours covering now, not
due: their next slots spread over the coming hour) and a history of sent nudges. For each number
due, that many people are made due, then one tick runs in this process against a FakeSlack in a
process of its own: the nudge planning step, the nudge delivery step, then a whole
`container.tick()` that finds nothing left (the tick's other steps: challenge posts, weekly
summaries). Before each phase the
due-people query and the claim query are captured as the bot issues them (through its own
`due_people` and `claim`, rolled back) and explained: `EXPLAIN QUERY PLAN` on SQLite,
`EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL (rolled back).

A smaller population (10,000) runs the 0 and 100 rounds too: equal times show that the cost
follows the number due, not the population. One more idle tick runs with 10% of the population
opted into weekly summaries, a step that reads every such person on every tick.

Then the resident memory of a running instance: `python -m bot serve` on the large database,
after warm-up (signed `/stretch` requests and a few ticks), and after a fan-out of `--rss-due`
nudges: VmRSS from /proc of the gunicorn master and of its worker.

    .venv/bin/python -m bench.tick_scale [--quick] [--population N] [--due 0,100,10000]
        [--db sqlite,postgres] [--history 2] [--rss-due 2000] [--explain]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, event, func, insert, select, update

from bench.common import (
    SIGNING_SECRET,
    BotProcess,
    Population,
    analyze,
    engine_for,
    fresh_database,
    insert_people,
    machine,
    noon_zone,
    print_table,
    pss_kib,
    rss_kib,
    say,
)
from bench.fakes import fake_slack_process
from bench.instances import bot_config
from bot.db.leases import claim
from bot.db.models import Nudge, Person
from bot.jobs.nudge_planning import due_people, mark_ignored
from tests.support.signed_requests import SlackSender

HISTORY_CHUNK = 20_000
INDEX_HINTS = ("ix_people_next_nudge_at", "ix_nudges_open_due", "ix_nudges_unanswered")


@dataclass
class Round:
    kind: str
    population: int
    due: int
    plan_s: float = 0.0
    deliver_s: float = 0.0
    rest_s: float = 0.0
    sent: int = 0
    plans: dict[str, str] = field(default_factory=dict)

    @property
    def tick_s(self) -> float:
        return self.plan_s + self.deliver_s + self.rest_s


# -- the population -------------------------------------------------------------------------


def not_due(now: datetime):
    def slot(index: int, _row) -> datetime:
        return now + timedelta(minutes=5, seconds=index % 3300)

    return slot


def insert_history(engine: Engine, per_person: int, now: datetime) -> None:
    """`per_person` sent nudges each, on earlier days: what a few days of use leave behind."""
    with engine.connect() as connection:
        ids = connection.scalars(select(Person.id)).all()
    rows = []
    for day in range(1, per_person + 1):
        slot = now - timedelta(days=day)
        for person_id in ids:
            rows.append(
                {
                    "person_id": person_id,
                    "slot_at": slot,
                    "due_at": slot,
                    "kind": "scheduled",
                    "exercise_id": "seated-lumbar-stretch",
                    "status": "sent",
                    "attempts": 1,
                    "sent_at": slot,
                    "outcome": "done" if person_id % 3 else "ignored",
                    "backoff_notice": False,
                    "created_at": slot,
                }
            )
            if len(rows) >= HISTORY_CHUNK:
                _insert(engine, rows)
    _insert(engine, rows)


def _insert(engine: Engine, rows: list[dict]) -> None:
    if rows:
        with engine.begin() as connection:
            connection.execute(insert(Nudge.__table__), rows)
        rows.clear()


def make_due(engine: Engine, count: int, now: datetime) -> None:
    """The first `count` people become due a few seconds ago; everyone else stays in the future."""
    with engine.begin() as connection:
        first = connection.scalar(select(func.min(Person.id)))
        connection.execute(
            update(Person)
            .where(Person.id < first + count)
            .values(next_nudge_at=now - timedelta(seconds=3))
        )


def set_weekly_share(engine: Engine, share: float) -> None:
    """A `share` of the people get weekly summaries, none of them due now: their next one is
    two days off, as settings would have planned it."""
    with engine.begin() as connection:
        connection.execute(update(Person).values(weekly_summary=False, weekly_summary_due_at=None))
        if share:
            connection.execute(
                update(Person)
                .where(Person.id % round(1 / share) == 0)
                .values(
                    weekly_summary=True,
                    weekly_summary_due_at=datetime.now(UTC) + timedelta(days=2),
                )
            )


# -- query plans ------------------------------------------------------------------------------


def captured(engine: Engine, call) -> tuple[str, object]:
    """The first statement `call(session)` sends, with its parameters (then rolled back)."""
    from sqlalchemy.orm import Session

    seen: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with Session(engine) as session, session.begin():
            call(session)
            session.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return seen[0]


def explain(engine: Engine, statement: str, parameters) -> str:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            text_plan = "\n".join(f"{'  ' * (row[1] > 0)}{row[3]}" for row in rows)
        else:
            rows = connection.exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS, COSTS) " + statement, parameters
            )
            text_plan = "\n".join(row[0] for row in rows)
        connection.rollback()
    return text_plan


def plan_of(engine: Engine, name: str, call) -> str:
    statement, parameters = captured(engine, call)
    return f"-- {name}\n{statement.strip()}\n-- plan\n{explain(engine, statement, parameters)}"


def uses_index(plan: str) -> str:
    """The indexes a plan names, and whether it reads a whole big table."""
    used = [hint for hint in INDEX_HINTS if hint in plan]
    scans = [
        table
        for table in ("people", "nudges")
        if f"SCAN {table}\n" in plan + "\n" or f"Seq Scan on {table}" in plan
    ]
    found = ", ".join(used) or "no index"
    return found + "".join(f"; FULL SCAN of {table}" for table in scans)


# -- one round --------------------------------------------------------------------------------


def run_round(container, engine: Engine, kind: str, population: int, due: int) -> Round:
    now = datetime.now(UTC)
    make_due(engine, due, now)
    result = Round(kind, population, due)
    result.plans["due people"] = plan_of(
        engine, "due people", lambda s: due_people(s, datetime.now(UTC), 200)
    )
    with engine.connect() as connection:
        batch = list(connection.scalars(select(Person.id).limit(200)))
    result.plans["unanswered"] = plan_of(
        engine, "unanswered", lambda s: mark_ignored(s, batch, datetime.now(UTC))
    )
    started = time.perf_counter()
    container.steps.nudge_planning.run()
    result.plan_s = time.perf_counter() - started
    result.plans["claim"] = plan_of(
        engine, "claim", lambda s: claim(s, Nudge, "explain", datetime.now(UTC), 200)
    )
    started = time.perf_counter()
    outcomes = container.steps.nudge_delivery.run()
    result.deliver_s = time.perf_counter() - started
    result.sent = outcomes["sent"]
    started = time.perf_counter()
    container.tick()
    result.rest_s = time.perf_counter() - started
    return result


def idle_tick_seconds(container, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        container.tick()
        best = min(best, time.perf_counter() - started)
    return best


def run_database(kind: str, args, workdir: Path, slack_url: str) -> tuple[list[Round], list]:
    from bot.bootstrap import build

    rounds, extras = [], []
    for population in args.populations:
        say(f"{kind}: {population:,} people, {args.history} sent nudges each in the past")
        url = fresh_database(kind, workdir, "scale")
        now = datetime.now(UTC)
        engine = engine_for(url)
        insert_people(engine, Population(population, noon_zone(now)), now, not_due(now))
        insert_history(engine, args.history, now)
        analyze(engine)
        container = build(bot_config(url, slack_url, workspace_sends_per_minute=10**9))
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        for due in args.due:
            if due < population or population == max(args.populations):
                say(f"{kind}: {population:,} people, {due:,} due")
                rounds.append(run_round(container, engine, kind, population, due))
        if population == max(args.populations):
            extras.append((kind, population, "idle tick, nobody due", idle_tick_seconds(container)))
            set_weekly_share(engine, 0.1)
            seconds = idle_tick_seconds(container)
            extras.append((kind, population, "idle tick, 10% get weekly summaries", seconds))
            set_weekly_share(engine, 0.0)
            extras.extend(resident_memory(kind, url, engine, args.rss_due))
        container.close()
        engine.dispose()
    return rounds, extras


# -- resident memory --------------------------------------------------------------------------


def resident_memory(kind: str, url: str, engine: Engine, fanout: int) -> list[tuple]:
    """RSS of `python -m bot serve` after warm-up, and after a fan-out of `fanout` nudges."""
    from tests.support.fake_slack import FakeSlack

    with FakeSlack() as fake:
        env = {"TICK_SECONDS": "1", "LOG_LEVEL": "WARNING", "WORKSPACE_SENDS_PER_MINUTE": "1000000"}
        bot = BotProcess(fake.base_url, url, env=env)
        bot.start()
        try:
            sender = SlackSender(bot.url, SIGNING_SECRET, fake.response_url("rss"))
            for i in range(200):
                sender.command("", user=f"U9{i % 20:05d}")
            time.sleep(3)  # a few idle ticks
            rows = [_rss_row(kind, bot, "after warm-up (200 /stretch, idle ticks)")]
            with engine.connect() as connection:
                sent_before = connection.scalar(
                    select(func.count()).select_from(Nudge).where(Nudge.status == "sent")
                )
            make_due(engine, fanout, datetime.now(UTC))
            seconds = _wait_sent(engine, sent_before + fanout, timeout=300)
            label = f"after a fan-out of {fanout:,} nudges ({seconds:.0f} s)"
            rows.append(_rss_row(kind, bot, label))
        finally:
            bot.stop()
    return rows


def _rss_row(kind: str, bot: BotProcess, when: str) -> tuple:
    pids = [bot.pid, *bot.worker_pids()]
    rss = [rss_kib(pid) / 1024 for pid in pids]
    pss = sum(pss_kib(pid) for pid in pids) / 1024
    return (kind, when, rss[0], sum(rss[1:]), sum(rss), pss)


def _wait_sent(engine: Engine, target: int, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with engine.connect() as connection:
            sent = connection.scalar(
                select(func.count()).select_from(Nudge).where(Nudge.status == "sent")
            )
        if sent >= target:
            break
        time.sleep(0.5)
    return time.monotonic() - started


# -- report -----------------------------------------------------------------------------------


def report(rounds: list[Round], extras: list, explain_all: bool) -> None:
    print_table(
        "Tick time by population and number due (fake Slack in its own process, no limits)",
        [
            "database",
            "people",
            "due",
            "sent",
            "plan s",
            "deliver s",
            "rest s",
            "tick s",
            "ms per due",
            "due-people query",
            "claim query",
            "unanswered-nudges query",
        ],
        [
            (
                r.kind,
                r.population,
                r.due,
                r.sent,
                r.plan_s,
                r.deliver_s,
                r.rest_s,
                r.tick_s,
                r.tick_s * 1000 / r.due if r.due else "—",
                uses_index(r.plans["due people"]),
                uses_index(r.plans["claim"]),
                uses_index(r.plans["unanswered"]),
            )
            for r in rounds
        ],
    )
    memory = [row for row in extras if len(row) == 6]
    idle = [row for row in extras if len(row) == 4]
    print_table("Idle ticks (best of 3)", ["database", "people", "case", "tick s"], idle)
    print_table(
        "Resident memory of `python -m bot serve` (VmRSS)",
        ["database", "when", "master RSS MiB", "worker RSS MiB", "RSS sum", "PSS sum MiB"],
        memory,
    )
    shown = rounds if explain_all else [r for r in rounds if r.due == max(x.due for x in rounds)]
    for r in shown:
        for name, plan in r.plans.items():
            print(f"\n#### {r.kind}, {r.population:,} people, {r.due:,} due: {name}\n")
            print("```\n" + plan + "\n```")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 people, SQLite (~1 min)")
    parser.add_argument("--population", help="comma-separated (default 10000,100000)")
    parser.add_argument("--due", help="comma-separated (default 0,100,10000)")
    parser.add_argument("--db", help="sqlite, postgres or both (default both)")
    parser.add_argument("--history", type=int, help="past sent nudges per person (default 2)")
    parser.add_argument("--rss-due", type=int, help="fan-out for the memory reading (2000)")
    parser.add_argument("--explain", action="store_true", help="print every query plan")
    args = parser.parse_args(argv)
    quick = args.quick
    args.populations = [
        int(p) for p in (args.population or ("2000,20000" if quick else "10000,100000")).split(",")
    ]
    args.due = [int(d) for d in (args.due or ("0,100,2000" if quick else "0,100,10000")).split(",")]
    kinds = (args.db or ("sqlite" if quick else "sqlite,postgres")).split(",")
    args.history = args.history if args.history is not None else (1 if quick else 2)
    args.rss_due = args.rss_due or (500 if quick else 2000)
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    print(f"machine: {machine()}")
    rounds, extras = [], []
    with fake_slack_process() as slack_url:
        for kind in kinds:
            more_rounds, more_extras = run_database(kind, args, workdir, slack_url)
            rounds += more_rounds
            extras += more_extras
    report(rounds, extras, args.explain)
    return 0


if __name__ == "__main__":
    sys.exit(main())
