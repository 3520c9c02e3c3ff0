"""Insert-or-ignore written once for both dialects (SQLite and PostgreSQL share the syntax in SQLAlchemy)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignore(
    conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> int:
    """Insert rows, skipping those that collide on the unique ``keys``; returns how many were new."""
    if not rows:
        return 0
    dialect = conn.dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing(index_elements=list(keys))
    elif dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=list(keys))
    else:  # pragma: no cover - other databases are not supported yet
        raise NotImplementedError(f"insert_ignore is not written for {dialect}")
    # RETURNING counts exactly the rows inserted (rowcount is unreliable for executemany).
    primary = next(iter(table.primary_key.columns))
    result = conn.execute(statement.returning(primary), list(rows))
    return len(result.all())
