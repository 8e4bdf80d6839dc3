"""Alembic environment: runs the migrations online against the configured URL."""

from alembic import context

from bot.db.engine import make_engine
from bot.db.models import Base


def _ours(obj, name, type_, reflected, compare_to) -> bool:
    """slack-sdk owns the slack_* tables (created in 0005): autogenerate leaves them alone."""
    return not (type_ == "table" and name.startswith("slack_"))


def run_migrations() -> None:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # Batch mode rebuilds a table to change it (copy, drop, rename): with foreign
                # keys on, dropping a parent such as `people` would cascade-delete its children.
                # Off for the migration (it must be set outside a transaction), as Alembic advises.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()  # ends SQLAlchemy's autobegun transaction; Alembic's follows
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                include_object=_ours,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations()
