"""The default monitoring engine: an in-process DuckDB database."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from raqib.monitoring.engines.base import (
    DUCKDB_DIALECT,
    EngineError,
    MonitoringEngine,
    check_identifier,
    parameters_used,
)


class DuckDBEngine(MonitoringEngine):
    """Monitoring on DuckDB, in memory unless ``database`` names a file.

    Args:
        database: DuckDB database path, or ``":memory:"``.
        threads: Worker threads (``None``: DuckDB's default, all cores).
        memory_limit: E.g. ``"4GB"``; DuckDB spills to disk beyond it.
    """

    dialect = DUCKDB_DIALECT

    def __init__(
        self, database: str = ":memory:", *, threads: int | None = None, memory_limit: str | None = None
    ):
        self.connection = duckdb.connect(database)
        if threads is not None:
            self.connection.execute(f"SET threads = {int(threads)}")
        if memory_limit is not None:
            self.connection.execute("SET memory_limit = ?", [memory_limit])
        # Results must not depend on thread scheduling: alerts are compared across runs.
        self.connection.execute("SET preserve_insertion_order = true")
        # Timestamps with an offset are converted to UTC wall-clock time, whatever the machine's zone.
        self.connection.execute("SET TimeZone = 'UTC'")
        # The CLI owns the terminal: no progress bars from long queries.
        self.connection.execute("SET enable_progress_bar = false")

    def read_file(self, table: str, path: Path, *, file_format: str) -> list[str]:
        check_identifier(table)
        if file_format == "csv":
            # Everything as text: types are checked afterwards so errors can name the line and column.
            relation = self.connection.read_csv(
                str(path), header=True, all_varchar=True, sep=",", quotechar='"', escapechar='"'
            )
        elif file_format == "parquet":
            relation = self.connection.read_parquet(str(path))
        else:
            raise ValueError(f"unknown file format {file_format!r}")
        self.drop(table)
        if file_format == "parquet":
            # Parquet is columnar and typed already: a view reads it in place instead of copying it.
            relation.create_view(table)
        else:
            relation.create(table)
        return list(relation.columns)

    def register_arrow(self, table: str, data: pa.Table) -> None:
        check_identifier(table)
        self.connection.register("_raqib_arrow_input", data)
        try:
            self.connection.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT * FROM _raqib_arrow_input')  # noqa: S608
        finally:
            self.connection.unregister("_raqib_arrow_input")

    def execute(self, sql: str, parameters: Mapping[str, Any] | None = None) -> None:
        try:
            self.connection.execute(sql, parameters_used(sql, parameters or {}) or None)
        except duckdb.Error as err:
            raise EngineError(str(err), sql) from err

    def query(self, sql: str, parameters: Mapping[str, Any] | None = None) -> pa.Table:
        try:
            relation = self.connection.sql(sql, params=parameters_used(sql, parameters or {}) or None)
            return relation.to_arrow_table()
        except duckdb.Error as err:
            raise EngineError(str(err), sql) from err

    def drop(self, table: str) -> None:
        name = check_identifier(table)
        kind = self.connection.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()
        if kind is not None:
            self.connection.execute(f'DROP {"VIEW" if kind[0] == "VIEW" else "TABLE"} "{name}"')

    def close(self) -> None:
        self.connection.close()
