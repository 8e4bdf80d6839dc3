"""work patterns: hours per weekday instead of one window on chosen days

Revision ID: 0012
Revises: 0011

`people.work_days` / `work_start` / `work_end` (one window on each chosen day) become
`people.work_pattern`: each weekday's windows, Monday first, days split by ";" and windows by ",",
e.g. "09:00-17:00;09:00-17:00;09:00-17:00;09:00-17:00;09:00-17:00;;". Every person keeps the hours
they had: their window on each of their days. Downgrading keeps the days that had hours and, for
the window, the earliest start and latest end among them (split shifts merge into one window, a
night shift is cut at 23:59).
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0015"
branch_labels = None
depends_on = None

DEFAULT_PATTERN = ";".join(["09:00-17:00"] * 5 + [""] * 2)

people = sa.table(
    "people",
    sa.column("id", sa.Integer),
    sa.column("work_days", sa.String),
    sa.column("work_start", sa.Integer),
    sa.column("work_end", sa.Integer),
    sa.column("work_pattern", sa.String),
)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def pattern_of(work_days: str, work_start: int, work_end: int) -> str:
    days = {int(day) for day in work_days.split(",") if day}
    window = f"{_hhmm(work_start)}-{_hhmm(work_end)}"
    return ";".join(window if day in days else "" for day in range(7))


def single_window_of(pattern: str) -> tuple[str, int, int]:
    entries = pattern.split(";")
    days = [day for day, entry in enumerate(entries) if entry]
    windows = [window.split("-") for entry in entries if entry for window in entry.split(",")]
    if not windows:
        return "0,1,2,3,4", 540, 1020
    start = min(_minutes(first) for first, _ in windows)
    end = max(_same_day_end(_minutes(first), _minutes(last)) for first, last in windows)
    return ",".join(map(str, days)), start, end


def _same_day_end(start: int, end: int) -> int:
    """The old columns end a day before midnight: a window crossing it is cut at 23:59."""
    return end if end > start else 24 * 60 - 1


def upgrade() -> None:
    with op.batch_alter_table("people") as batch_op:
        batch_op.add_column(
            sa.Column(
                "work_pattern", sa.String(255), server_default=DEFAULT_PATTERN, nullable=False
            )
        )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(people.c.id, people.c.work_days, people.c.work_start, people.c.work_end)
    ).all()
    if rows:
        connection.execute(
            people.update().where(people.c.id == sa.bindparam("person_id")),
            [{"person_id": row.id, "work_pattern": pattern_of(*row[1:])} for row in rows],
        )
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_column("work_end")
        batch_op.drop_column("work_start")
        batch_op.drop_column("work_days")


def downgrade() -> None:
    with op.batch_alter_table("people") as batch_op:
        batch_op.add_column(
            sa.Column("work_days", sa.String(16), server_default="0,1,2,3,4", nullable=False)
        )
        batch_op.add_column(
            sa.Column("work_start", sa.Integer(), server_default="540", nullable=False)
        )
        batch_op.add_column(
            sa.Column("work_end", sa.Integer(), server_default="1020", nullable=False)
        )
    connection = op.get_bind()
    rows = connection.execute(sa.select(people.c.id, people.c.work_pattern)).all()
    if rows:
        updates = []
        for row in rows:
            days, start, end = single_window_of(row.work_pattern)
            updates.append(
                {"person_id": row.id, "work_days": days, "work_start": start, "work_end": end}
            )
        connection.execute(people.update().where(people.c.id == sa.bindparam("person_id")), updates)
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_column("work_pattern")
