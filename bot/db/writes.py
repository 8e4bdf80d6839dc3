"""Idempotent inserts: the same row written twice (a retry, a double click) lands once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Case, Table, case, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_if_absent(
    session: Session, model: type, values: dict[str, Any], unique_on: list[str]
) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when this call inserted the row."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(model).values(**values).on_conflict_do_nothing(index_elements=unique_on)
    )
    # SQLAlchemy reports an INSERT's rowcount reliably only when asked to: psycopg's cursor is
    # otherwise done with by the time it is read, and it says -1 for a row it did insert.
    executed = session.execute(statement, execution_options={"preserve_rowcount": True})
    return executed.rowcount == 1


def insert_many_if_absent(
    session: Session, model: type, rows: list[dict[str, Any]], unique_on: list[str]
) -> int:
    """The same for many rows in one statement batch; returns how many were inserted."""
    if not rows:
        return 0
    table = model.__table__
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=unique_on)
        .returning(table.c[unique_on[0]])
    )
    return len(session.execute(statement, rows).all())


def value_by_id(table: Table, column: str, values: dict[int, Any]) -> Case:
    """`CASE id WHEN … THEN …` — one value per row, so one UPDATE can write (or compare) a
    different value in each row of a batch."""
    column_type = table.c[column].type
    return case(
        {row_id: literal(value, column_type) for row_id, value in values.items()},
        value=table.c.id,
    )
