"""A SQLite database at an older schema revision, with one workspace in it: where a migration's
test puts the rows the migration must carry over."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from bot.db.migrate import upgrade


def database_at(revision: str, directory: Path) -> tuple[str, Engine]:
    """The URL and an engine of a new database migrated up to `revision`, holding workspace 1."""
    url = f"sqlite:///{directory / 'before.db'}"
    upgrade(url, revision)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workspaces (id, team_id, enterprise_id, created_at, active) "
                "VALUES (1, 'T1', '', '2026-01-01 00:00:00', 1)"
            )
        )
    return url, engine
