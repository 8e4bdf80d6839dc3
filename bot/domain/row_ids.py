"""Row ids read back from what a client sends (button values, card ids).

Every table's id is a 32-bit `INTEGER` column on PostgreSQL (and SQLite refuses ints past 2⁶³
outright), so a larger number is no id of ours: it is read as none rather than reaching a query
that would fail on it. `True` is an `int` to Python, but no id either."""

from __future__ import annotations

MAX_ROW_ID = 2**31 - 1


def row_id(value: object) -> int | None:
    """`value` if it could be the id of a row, else None."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ROW_ID:
        return value
    return None
