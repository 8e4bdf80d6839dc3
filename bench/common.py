"""Helpers shared by the benchmarks: tables, percentiles, the machine, fresh databases, bulk
population of opted-in people, and the real `python -m bot serve` process.

Benchmarks use their own PostgreSQL database (`stretchbench`, created on the local server next to
the tests' `test` database), so a benchmark never wipes a test run's schema and vice versa.
"""

from __future__ import annotations

import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine, insert, text

from bot.db.migrate import upgrade
from bot.db.models import Person, Workspace

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIGNING_SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-bench-token"
TEAM_ID = "T0001"  # the fake Slack's workspace
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_ADMIN_URL = f"{PG_SERVER}/test"
PG_BENCH_DB = "stretchbench"
INSERT_CHUNK = 5_000


# -- output ---------------------------------------------------------------------------------


def print_table(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A GitHub-flavoured Markdown table, so results paste straight into docs/benchmarks.md."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]
    print(f"\n### {title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    sys.stdout.flush()


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def say(message: str) -> None:
    """Progress on stderr, so stdout holds only the tables."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def machine() -> dict[str, str]:
    """What the numbers ran on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{kib / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
    }


# -- processes and ports --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen | None = None, timeout=60.0) -> None:
    """Poll `url` until it answers 200 (or the process dies, or the timeout passes)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process serving {url} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up within {timeout:.0f} s")
        time.sleep(0.1)


def healthz(base_url: str) -> int:
    """The status of GET /healthz, 0 when there is no answer."""
    try:
        with urllib.request.urlopen(base_url + "/healthz", timeout=5) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def rss_kib(pid: int) -> int:
    """Resident memory of a process (VmRSS), in KiB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kib(pid: int) -> int:
    """Proportional set size: resident memory with pages shared after the fork split fairly."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class BotProcess:
    """`python -m bot serve`, exactly as the Procfile's `web:` line runs it (gunicorn, one
    asyncio worker running whole requests on eight threads), in its own process group."""

    slack_api_url: str
    database_url: str
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bench-bot-")))
    process: subprocess.Popen | None = None
    starts: int = 0
    # What runs after `python`: the Procfile's web command, or a what-if variant of it.
    command: tuple[str, ...] = ("-m", "bot", "serve")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: bool = True) -> BotProcess:
        self.starts += 1
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
        env.update(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=self.slack_api_url,
            DATABASE_URL=self.database_url,
            PORT=str(self.port),
            **self.env,
        )
        log = open(self.workdir / f"bot-{self.starts}.log", "w")  # noqa: SIM115 — the child owns it
        self.process = subprocess.Popen(
            [PYTHON, *self.command],
            cwd=self.workdir,  # no stray .env
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        if wait:
            wait_until_serving(self.url + "/healthz", self.process)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        return children(self.pid)

    def kill9(self) -> None:
        """SIGKILL to the whole process group: the gunicorn master and its worker die at once."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> int:
        """SIGTERM, as a platform stops a dyno; returns the exit status."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait(timeout=30)

    def log_text(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.workdir.glob("bot-*.log")))


# -- databases ------------------------------------------------------------------------------


def sqlite_database(directory: Path, name: str = "bench.db") -> str:
    """A new, migrated SQLite file."""
    path = directory / name
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    upgrade(url)
    return url


def postgres_database(name: str = PG_BENCH_DB) -> str:
    """A new, migrated PostgreSQL database on the local server (dropped first if it exists)."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{PG_SERVER}/{name}"
    upgrade(url)
    return url


def fresh_database(kind: str, directory: Path, name: str = "bench") -> str:
    if kind == "sqlite":
        return sqlite_database(directory, f"{name}.db")
    if kind == "postgres":
        return postgres_database(f"stretch{name}")
    raise ValueError(f"unknown database {kind!r}: sqlite or postgres")


def engine_for(url: str) -> Engine:
    from bot.db.engine import make_engine

    return make_engine(url)


# -- population -----------------------------------------------------------------------------


def noon_zone(now: datetime) -> str:
    """A fixed-offset zone where it is about midday now, so 08:00–18:00 work hours cover the
    whole benchmark whatever the hour on this machine."""
    offset = 12 - now.astimezone(UTC).hour  # -11 … +12
    offset = offset - 24 if offset > 14 else offset
    if offset == 0:
        return "UTC"
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"  # POSIX signs are inverted


@dataclass(frozen=True)
class Population:
    """Opted-in people in one workspace, every day a work day, 08:00–18:00 in `zone`."""

    count: int
    zone: str
    interval_minutes: int = 60
    work_start: int = 8 * 60
    work_end: int = 18 * 60
    weekly_summary_share: float = 0.0

    @property
    def work_pattern(self) -> str:
        """Every day of the week the same window (`bot.db.people.stored_pattern`'s format)."""

        def clock(minutes: int) -> str:
            return f"{minutes // 60:02d}:{minutes % 60:02d}"

        return ";".join([f"{clock(self.work_start)}-{clock(self.work_end)}"] * 7)

    def row(self, workspace_id: int, index: int, now: datetime) -> dict[str, object]:
        return {
            "workspace_id": workspace_id,
            "slack_user_id": user_id(index),
            "tz": self.zone,
            "place": "office" if index % 2 else "home",
            "created_at": now,
            "reminders_on": True,
            "work_pattern": self.work_pattern,
            "interval_minutes": self.interval_minutes,
            "weekly_summary": (index % 1000) < self.weekly_summary_share * 1000,
            "next_nudge_at": None,
            # Fresh availability: delivery makes no users.info / dnd.info call.
            "availability_checked_at": now,
            "status_text": "",
            "status_emoji": "",
            "in_huddle": False,
        }


def user_id(index: int) -> str:
    return f"U{index:07d}"


def insert_workspace(engine: Engine, now: datetime) -> int:
    with engine.begin() as connection:
        return connection.execute(
            insert(Workspace).values(team_id=TEAM_ID, enterprise_id="", created_at=now)
        ).inserted_primary_key[0]


def insert_people(
    engine: Engine,
    population: Population,
    now: datetime,
    next_nudge_at,
) -> int:
    """Bulk-insert `population` with SQLAlchemy Core; `next_nudge_at(index, row)` gives each
    person's next slot. Returns the workspace id."""
    workspace_id = insert_workspace(engine, now)
    for start in range(0, population.count, INSERT_CHUNK):
        rows = []
        for index in range(start, min(start + INSERT_CHUNK, population.count)):
            row = population.row(workspace_id, index, now)
            row["next_nudge_at"] = next_nudge_at(index, row)
            rows.append(row)
        with engine.begin() as connection:
            connection.execute(insert(Person.__table__), rows)
    return workspace_id


def due_now(now: datetime):
    """`next_nudge_at` for people who are due: a few seconds ago (a slot just reached, not one
    missed during downtime, which planning treats differently)."""

    def slot(index: int, _row: dict[str, object]) -> datetime:
        return now - timedelta(seconds=1 + index % 30)

    return slot


def analyze(engine: Engine) -> None:
    """On PostgreSQL, fresh planner statistics after a bulk load, as autovacuum would give.

    Not on SQLite: it has statistics only after an explicit `ANALYZE`, which the bot never runs,
    and plans taken without them are the ones production gets."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
