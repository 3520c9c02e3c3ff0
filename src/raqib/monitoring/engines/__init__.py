"""Monitoring engines: one port, several SQL backends (splink's habit).

:class:`MonitoringEngine` has five abstract methods (read a file, register Arrow, execute, query,
drop). Typology SQL is written once in the DuckDB dialect with ``$name`` parameters; a
:class:`Dialect` renders it for another backend. :class:`DuckDBEngine` is the default. A Spark engine
would subclass the port with ``SPARK_DIALECT`` (``:name`` parameters bound by ``spark.sql(args=)``,
``collect_list`` for ``list``), importing pyspark lazily; none ships yet.
"""

from __future__ import annotations

from raqib.monitoring.engines.base import (
    DUCKDB_DIALECT,
    SPARK_DIALECT,
    Dialect,
    EngineError,
    MonitoringEngine,
    check_identifier,
    parameters_used,
)
from raqib.monitoring.engines.duckdb import DuckDBEngine

__all__ = [
    "DUCKDB_DIALECT",
    "SPARK_DIALECT",
    "Dialect",
    "DuckDBEngine",
    "EngineError",
    "MonitoringEngine",
    "check_identifier",
    "parameters_used",
]
