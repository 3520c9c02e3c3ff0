"""The relational store: one SQLAlchemy metadata, Alembic migrations, SQLite or PostgreSQL.

``open_engine(url)`` creates the engine and brings the schema to the latest migration, so every
entry point (CLI, API, jobs) sees the same schema whether the database is new or old. Migrations
live in ``raqib/db/migrations`` and run programmatically; ``alembic`` on the command line is not
needed by users.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from raqib.db.tables import metadata
from raqib.errors import ConfigError

MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def open_engine(url: str, *, migrate: bool = True) -> Engine:
    """Create an engine for ``url`` and upgrade its schema to the latest migration."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = sa.create_engine(url, future=True)
    except (sa.exc.ArgumentError, ModuleNotFoundError) as err:
        raise ConfigError(f"invalid database URL {url!r}: {err}") from err
    if url.startswith("sqlite"):
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    if migrate:
        try:
            command.upgrade(_alembic_config(engine), "head")
        except sa.exc.OperationalError as err:
            raise ConfigError(f"cannot open the database {engine.url!r}: {err.orig}") from err
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


__all__ = ["metadata", "open_engine"]
