"""The engine port: the handful of operations monitoring needs from a SQL backend (splink habit).

Typology SQL is written once, in the DuckDB dialect, with named parameters written ``$name``. An
engine registers input tables, runs that SQL with the parameters bound by the backend (never pasted
into the text), and hands results back as Arrow. :class:`Dialect` holds the few spellings that differ
between backends, so a Spark engine only has to translate placeholders and a short list of function
names; see ``docs/formats/transactions.md`` for what a Spark adapter would need.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

#: Named parameter markers in typology SQL: ``$window_days``.
PARAMETER_MARKER = re.compile(r"\$([a-z][a-z0-9_]*)")
#: Table and column names created by monitoring: lower-case words only, so they can be quoted safely.
IDENTIFIER = re.compile(r"^_?[a-z][a-z0-9_]{0,62}$")


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one backend spells what differs from the DuckDB text the typologies are written in.

    Attributes:
        name: Backend name, e.g. ``"duckdb"``.
        parameter_prefix: Marker for a named parameter (``$`` for DuckDB, ``:`` for Spark SQL).
        functions: Function names to rename, DuckDB name to backend name (``list`` -> ``collect_list``).
    """

    name: str
    parameter_prefix: str = "$"
    functions: Mapping[str, str] = field(default_factory=dict)

    def render(self, sql: str) -> str:
        """Translate DuckDB-dialect SQL into this backend's spelling."""
        if self.parameter_prefix != "$":
            sql = PARAMETER_MARKER.sub(lambda m: self.parameter_prefix + m.group(1), sql)
        for duckdb_name, backend_name in self.functions.items():
            sql = re.sub(rf"\b{re.escape(duckdb_name)}\s*\(", f"{backend_name}(", sql)
        return sql


DUCKDB_DIALECT = Dialect(name="duckdb")
#: What a Spark engine would use (Spark >= 3.4 binds ``:name`` parameters through ``spark.sql(args=)``).
SPARK_DIALECT = Dialect(
    name="spark",
    parameter_prefix=":",
    functions={"list": "collect_list", "list_distinct": "array_distinct", "epoch": "unix_timestamp"},
)


def parameters_used(sql: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The subset of ``values`` that ``sql`` refers to; backends refuse unused or missing ones.

    Raises:
        KeyError: When the SQL names a parameter that ``values`` lacks.
    """
    names = set(PARAMETER_MARKER.findall(sql))
    missing = names - set(values)
    if missing:
        raise KeyError(f"SQL refers to undefined parameters: {sorted(missing)}")
    return {name: values[name] for name in sorted(names)}


def check_identifier(name: str) -> str:
    """Return ``name`` if it is a safe table or column name, else raise ``ValueError``."""
    if not IDENTIFIER.match(name):
        raise ValueError(f"not a safe identifier: {name!r}")
    return name


class MonitoringEngine(ABC):
    """A SQL backend for monitoring. DuckDB is the default; others implement the same five methods."""

    dialect: Dialect = DUCKDB_DIALECT

    @abstractmethod
    def read_file(self, table: str, path: Path, *, file_format: str) -> list[str]:
        """Register ``path`` (``"csv"`` read as text columns, or ``"parquet"``) as ``table``.

        Returns:
            The column names in file order.
        """

    @abstractmethod
    def register_arrow(self, table: str, data: pa.Table) -> None:
        """Make an Arrow table queryable as ``table`` (materialised; the caller may drop ``data``)."""

    @abstractmethod
    def execute(self, sql: str, parameters: Mapping[str, Any] | None = None) -> None:
        """Run a statement that returns nothing (``CREATE TABLE ... AS``), parameters bound."""

    @abstractmethod
    def query(self, sql: str, parameters: Mapping[str, Any] | None = None) -> pa.Table:
        """Run a query and return its rows as Arrow, parameters bound."""

    @abstractmethod
    def drop(self, table: str) -> None:
        """Drop ``table`` if it exists."""

    def close(self) -> None:  # noqa: B027 - optional hook, most engines need nothing
        """Release the backend's resources."""


class EngineError(RuntimeError):
    """A backend failed while running monitoring SQL; carries the SQL for the report (splink habit)."""

    def __init__(self, message: str, sql: str):
        super().__init__(f"{message}\n-- failing SQL --\n{sql.strip()}")
        self.sql = sql
