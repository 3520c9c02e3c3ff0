"""Reading transactions and accounts into the canonical monitoring tables.

Three layouts are recognised by their header (CSV) or schema (Parquet); ``docs/formats/transactions.md``
documents them:

- Raqib's own: transactions ``id,timestamp,from_account,to_account,amount,currency`` plus optional
  ``from_country,to_country,channel,purpose``; accounts ``account_id,customer_id,type,country,opened_at``
  plus optional ``name``.
- IBM AMLSim sample runs: ``transactions.csv`` (``sourceNodeId,targetNodeId,value,time``) and
  ``nodes.csv`` (``nodeid,isFraud,init_balance,fraudStep``). ``time`` is a simulation step of one day
  counted from ``base_date`` (AMLSim ``conf.json`` default 2017-01-01).
- IBM AMLSim output files: ``tx.csv`` (``TXN_ID,ACCOUNT_ID,COUNTER_PARTY_ACCOUNT_NUM,...``) and
  ``accounts.csv`` (``ACCOUNT_ID,PRIMARY_CUSTOMER_ID,...``).

Every layout becomes the same two tables, ``transactions`` and ``accounts`` (columns in
:data:`TRANSACTION_COLUMNS` and :data:`ACCOUNT_COLUMNS`). Values are checked after loading; the first
bad value raises :class:`~raqib.errors.InvalidInput` naming the file, line and column.

SQL text here is built only from this module's constants and from header names quoted by
:func:`_quote` (hence the ``noqa: S608``); values from the files never enter SQL text.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from raqib.errors import InvalidInput, ListParseError
from raqib.monitoring.engines import EngineError, MonitoringEngine

TRANSACTION_COLUMNS = (
    "id",
    "ts",
    "from_account",
    "to_account",
    "amount",
    "currency",
    "from_country",
    "to_country",
    "channel",
    "purpose",
)
ACCOUNT_COLUMNS = ("account_id", "customer_id", "type", "country", "opened_at", "name")
ACCOUNT_TYPES = ("business", "npo", "personal")
AMLSIM_BASE_DATE = dt.date(2017, 1, 1)


@dataclass(frozen=True, slots=True)
class Column:
    """One canonical column and how a layout fills it.

    Attributes:
        target: Canonical column name.
        source: Column in the file (matched case-insensitively), or ``None`` when ``expression`` builds it.
        kind: ``text``, ``amount``, ``timestamp``, ``step`` (AMLSim day number) or ``account_type``.
        required: Whether the file must have the column.
        expression: SQL for derived values (uses only constants from this module).
    """

    target: str
    source: str | None
    kind: str = "text"
    required: bool = True
    expression: str | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """A recognised file layout: its name, what it holds and how its columns map."""

    name: str
    holds: str  # "transactions", "accounts" or "labels"
    columns: tuple[Column, ...]

    @property
    def required(self) -> set[str]:
        return {c.source.lower() for c in self.columns if c.source is not None and c.required}


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "raqib",
        "transactions",
        (
            Column("id", "id"),
            Column("ts", "timestamp", "timestamp"),
            Column("from_account", "from_account"),
            Column("to_account", "to_account"),
            Column("amount", "amount", "amount"),
            Column("currency", "currency"),
            Column("from_country", "from_country", required=False),
            Column("to_country", "to_country", required=False),
            Column("channel", "channel", required=False),
            Column("purpose", "purpose", required=False),
        ),
    ),
    Layout(
        "amlsim",
        "transactions",
        (
            Column("id", None, expression="CAST(row_number() OVER () AS VARCHAR)"),
            Column("ts", "time", "step"),
            Column("from_account", "sourceNodeId"),
            Column("to_account", "targetNodeId"),
            Column("amount", "value", "amount"),
            Column("currency", None, expression="NULL"),
        ),
    ),
    Layout(
        "amlsim-output",
        "transactions",
        (
            Column("id", "TXN_ID"),
            Column("ts", "start", "step"),
            Column("from_account", "ACCOUNT_ID"),
            Column("to_account", "COUNTER_PARTY_ACCOUNT_NUM"),
            Column("amount", "TXN_AMOUNT_ORIG", "amount"),
            Column("currency", None, expression="NULL"),
            Column("channel", "TXN_SOURCE_TYPE_CODE", required=False),
        ),
    ),
    Layout(
        "raqib",
        "accounts",
        (
            Column("account_id", "account_id"),
            Column("customer_id", "customer_id"),
            Column("type", "type", "account_type"),
            Column("country", "country"),
            Column("opened_at", "opened_at", "timestamp"),
            Column("name", "name", required=False),
        ),
    ),
    Layout(
        "amlsim",
        "accounts",
        (
            Column("account_id", "nodeid"),
            Column("customer_id", "nodeid"),
            Column("type", None, expression="'personal'"),
        ),
    ),
    Layout(
        "amlsim-output",
        "accounts",
        (
            Column("account_id", "ACCOUNT_ID"),
            Column("customer_id", "PRIMARY_CUSTOMER_ID"),
            Column("country", "country", required=False),
            # AMLSim marks individuals with business = "I"; everything else is an organisation.
            Column("type", "business", "text", required=False),
        ),
    ),
)


def _header(path: Path) -> tuple[str, list[str]]:
    """The file format (``csv`` or ``parquet``) and its column names, for layout detection."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise InvalidInput(f"{path}: the file is empty")
    if path.suffix.lower() in {".parquet", ".pq"}:
        try:
            return "parquet", list(pq.read_schema(path).names)
        except Exception as err:  # pyarrow raises several unrelated types for a bad file
            raise InvalidInput(f"{path}: not a readable Parquet file ({err})") from err
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            header = next(csv.reader(handle), [])
        except (csv.Error, UnicodeDecodeError) as err:
            raise ListParseError(f"unreadable CSV header ({err})", path=str(path), line=1) from err
    if not [h for h in header if h.strip()]:
        raise ListParseError("no header row", path=str(path), line=1)
    return "csv", [h.strip() for h in header]


def detect_layout(path: Path, holds: str) -> tuple[Layout, str, list[str]]:
    """Find the layout of ``path`` from its header.

    Args:
        path: A CSV or Parquet file.
        holds: ``"transactions"`` or ``"accounts"``.

    Returns:
        The layout, the file format and the header.

    Raises:
        InvalidInput: Unknown layout, or a known one with columns missing (named in the message).
    """
    file_format, header = _header(path)
    present = {h.lower() for h in header}
    candidates = [layout for layout in LAYOUTS if layout.holds == holds]
    for layout in candidates:
        if layout.required <= present:
            return layout, file_format, header
    best = max(candidates, key=lambda layout: len(layout.required & present))
    missing = sorted(best.required - present)
    if len(best.required & present) >= 2:
        raise ListParseError(
            f"missing column(s) {', '.join(missing)} for the {best.name} {holds} format",
            path=str(path),
            line=1,
        )
    expected = "; ".join(f"{lay.name}: {','.join(sorted(lay.required))}" for lay in candidates)
    raise ListParseError(
        f"unknown {holds} format (header {','.join(header)!s}); expected one of {expected}",
        path=str(path),
        line=1,
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _value_sql(
    column: Column, source: str, base_date: dt.date, typed: pa.DataType | None = None
) -> tuple[str, str | None]:
    """SQL for the canonical value, and a condition that is true for a bad non-empty value.

    ``typed`` is the column's type when the file carries one (Parquet): values already numeric or
    timestamps need no text round trip, which matters at ten million rows.
    """
    if (
        typed is not None
        and column.kind == "amount"
        and (pa.types.is_integer(typed) or pa.types.is_floating(typed))
    ):
        return f"CAST({source} AS DOUBLE)", None
    if typed is not None and column.kind == "timestamp" and pa.types.is_timestamp(typed):
        return f"CAST({source} AS TIMESTAMP)", None
    if typed is not None and column.kind == "text" and pa.types.is_string(typed):
        return f"NULLIF(TRIM({source}), '')", None
    raw = f"NULLIF(TRIM(CAST({source} AS VARCHAR)), '')"
    if column.kind == "amount":
        return f"TRY_CAST({raw} AS DOUBLE)", f"{raw} IS NOT NULL AND TRY_CAST({raw} AS DOUBLE) IS NULL"
    if column.kind == "timestamp":
        value = f"CAST(TRY_CAST({raw} AS TIMESTAMPTZ) AS TIMESTAMP)"
        return value, f"{raw} IS NOT NULL AND TRY_CAST({raw} AS TIMESTAMPTZ) IS NULL"
    if column.kind == "step":
        base = base_date.isoformat()  # a date object, not user text
        value = f"TIMESTAMP '{base}' + TO_DAYS(TRY_CAST({raw} AS INTEGER))"
        return value, f"{raw} IS NOT NULL AND TRY_CAST({raw} AS INTEGER) IS NULL"
    if column.kind == "account_type":
        allowed = ", ".join(f"'{t}'" for t in ACCOUNT_TYPES)
        return f"LOWER({raw})", f"{raw} IS NOT NULL AND LOWER({raw}) NOT IN ({allowed})"
    return raw, None


def _bad_line(path: Path, file_format: str, row_index: int) -> int | None:
    """The 1-based line of data row ``row_index`` (0-based) in a CSV; ``None`` for Parquet."""
    if file_format != "csv":
        return None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for index, _row in enumerate(reader):
            if index == row_index:
                return reader.line_num
    return None


def load_table(
    engine: MonitoringEngine,
    path: Path,
    holds: str,
    *,
    base_date: dt.date = AMLSIM_BASE_DATE,
) -> str:
    """Load ``path`` into the canonical table ``holds`` (``transactions`` or ``accounts``).

    Returns:
        The detected layout name.

    Raises:
        InvalidInput: Unknown layout, missing columns, empty file or a bad value (file, line, column named).
    """
    layout, file_format, header = detect_layout(path, holds)
    by_lower = {h.lower(): h for h in header}
    staging = f"_staging_{holds}"
    try:
        engine.read_file(staging, path, file_format=file_format)
    except Exception as err:  # any backend read failure is the file's fault here
        raise InvalidInput(f"{path}: cannot read as {file_format.upper()} ({err})") from err
    schema = engine.query(f"SELECT * FROM {staging} LIMIT 0").schema  # noqa: S608
    types = {field.name: field.type for field in schema} if file_format == "parquet" else {}
    selects: list[str] = []
    checks: list[tuple[Column, str, str]] = []  # column, quoted source, SQL true for a bad value
    wanted = TRANSACTION_COLUMNS if holds == "transactions" else ACCOUNT_COLUMNS
    given = {c.target: c for c in layout.columns}
    for target in wanted:
        column = given.get(target)
        if column is None or (column.source is not None and column.source.lower() not in by_lower):
            kind = "TIMESTAMP" if target in {"ts", "opened_at"} else "VARCHAR"
            selects.append(f"CAST(NULL AS {kind}) AS {target}")
            continue
        if column.expression is not None:
            selects.append(f"{column.expression} AS {target}")
            continue
        source = _quote(by_lower[str(column.source).lower()])
        value, bad = _value_sql(column, source, base_date, types.get(by_lower[str(column.source).lower()]))
        if layout.name == "amlsim-output" and target == "type":
            value = f"CASE WHEN {value} = 'I' THEN 'personal' ELSE 'business' END"
        if column.required and target not in {"name", "country", "currency", "opened_at"}:
            empty = f"({value}) IS NULL"
            bad = empty if bad is None else f"({empty}) OR ({bad})"
        if bad is not None:
            checks.append((column, source, bad))
        selects.append(f"{value} AS {target}")
    # One scan checks every column; the slow search for the exact line runs only when something is wrong.
    flags = "".join(f", bool_or({bad}) AS bad_{index}" for index, (_, _, bad) in enumerate(checks))
    summary = engine.query(f"SELECT count(*) AS n{flags} FROM {staging}").to_pylist()[0]  # noqa: S608
    if summary["n"] == 0:
        raise InvalidInput(f"{path}: no data rows", details={"path": str(path)})
    failures = []
    for index, (column, source, bad) in enumerate(checks):
        if summary[f"bad_{index}"]:
            numbered = (
                f"SELECT row_number() OVER () - 1 AS _row, CAST({source} AS VARCHAR) AS v, {bad} AS bad "  # noqa: S608
                f"FROM {staging}"
            )
            first_bad = f"SELECT _row, v FROM ({numbered}) WHERE bad ORDER BY _row LIMIT 1"  # noqa: S608
            row = engine.query(first_bad).to_pylist()[0]
            failures.append((row["_row"], row["v"], column))
    if failures:
        first, found, column = min(failures, key=lambda failure: failure[0])
        what = "empty" if found is None or not str(found).strip() else f"bad {column.kind} {found!r}"
        raise ListParseError(
            f"{what} value",
            path=str(path),
            line=_bad_line(path, file_format, first),
            field=by_lower[str(column.source).lower()],
            code="invalid_value",
        )
    try:
        engine.execute(
            f"CREATE OR REPLACE TABLE {holds} AS SELECT {', '.join(selects)} FROM {staging}"  # noqa: S608
        )
    except EngineError as err:
        raise InvalidInput(f"{path}: could not convert the file ({err})") from err
    finally:
        engine.drop(staging)
    return layout.name


def load_listed(engine: MonitoringEngine, path: Path | None) -> int:
    """Load account ids with a confirmed screening hit (CSV with an ``account_id`` column) as ``listed``.

    Returns:
        How many distinct accounts were loaded (0 and an empty table when ``path`` is ``None``).
    """
    if path is None:
        engine.execute("CREATE OR REPLACE TABLE listed (account_id VARCHAR)")
        return 0
    file_format, header = _header(path)
    by_lower = {h.lower(): h for h in header}
    if "account_id" not in by_lower:
        raise ListParseError("missing column account_id", path=str(path), line=1)
    engine.read_file("_staging_listed", path, file_format=file_format)
    source = _quote(by_lower["account_id"])
    engine.drop("listed")
    engine.execute(
        f"CREATE TABLE listed AS SELECT DISTINCT TRIM(CAST({source} AS VARCHAR)) AS account_id "  # noqa: S608
        f"FROM _staging_listed WHERE NULLIF(TRIM(CAST({source} AS VARCHAR)), '') IS NOT NULL"
    )
    engine.drop("_staging_listed")
    return int(engine.query("SELECT count(*) AS n FROM listed").column("n")[0].as_py())


def empty_accounts(engine: MonitoringEngine) -> None:
    """Create an empty ``accounts`` table for runs given only transactions."""
    engine.execute(
        "CREATE OR REPLACE TABLE accounts (account_id VARCHAR, customer_id VARCHAR, type VARCHAR, "
        "country VARCHAR, opened_at TIMESTAMP, name VARCHAR)"
    )


__all__ = [
    "ACCOUNT_COLUMNS",
    "ACCOUNT_TYPES",
    "AMLSIM_BASE_DATE",
    "LAYOUTS",
    "TRANSACTION_COLUMNS",
    "Column",
    "Layout",
    "detect_layout",
    "empty_accounts",
    "load_listed",
    "load_table",
]
