"""Running typologies over loaded data: one SQL query per typology, alerts out."""

from __future__ import annotations

import datetime as dt
import string
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from raqib.monitoring.alerts import Alert, RiskWeights, risk_weights
from raqib.monitoring.engines import DuckDBEngine, EngineError, MonitoringEngine
from raqib.monitoring.formats import empty_accounts, load_listed, load_table
from raqib.monitoring.typologies import REQUIRED_OUTPUT, Typology, select_typologies

#: Per-typology parameter overrides: ``{"fan_in": {"min_senders": 6}}``.
Overrides = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class RuleRun:
    """What one typology did in a run: its alerts, parameters and time taken."""

    typology: Typology
    parameters: Mapping[str, Any]
    alerts: tuple[Alert, ...]
    seconds: float


@dataclass(frozen=True, slots=True)
class MonitoringRun:
    """The result of a run: per-rule results, the layouts detected, and load time."""

    rules: tuple[RuleRun, ...]
    layouts: Mapping[str, str] = field(default_factory=dict)
    load_seconds: float = 0.0
    transactions: int = 0
    customer_of: Mapping[str, str] = field(default_factory=dict)

    @property
    def alerts(self) -> list[Alert]:
        """All alerts, highest score first, then account and rule."""
        found = [alert for rule in self.rules for alert in rule.alerts]
        return sorted(found, key=lambda a: (-a.score, a.account_id, a.rule))


class _Evidence(dict[str, Any]):
    """Formatting namespace that shows a missing figure as ``?`` instead of failing."""

    def __missing__(self, key: str) -> str:
        return "?"


def _format_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
        )
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value[:10]) + (
            f" (+{len(value) - 10} more)" if len(value) > 10 else ""
        )
    return value


def explain(typology: Typology, evidence: Mapping[str, Any], parameters: Mapping[str, Any]) -> str:
    """The analyst's sentence: the typology title, what was seen and the parameters used."""
    values = _Evidence({k: _format_value(v) for k, v in evidence.items()})
    values.update({f"p_{k}": _format_value(v) for k, v in parameters.items()})
    seen = string.Formatter().vformat(typology.explanation, (), values)
    shown = "; ".join(
        f"{k}={', '.join(v) if isinstance(v, list) and len(v) <= 6 else (f'{len(v)} codes' if isinstance(v, list) else v)}"
        for k, v in parameters.items()
    )
    return f"{typology.title} (v{typology.version}): {seen} [parameters: {shown}]"


def prepare(engine: MonitoringEngine) -> None:
    """Build the tables every typology shares (``account_events``)."""
    sql = resources.files("raqib.monitoring").joinpath("sql", "prepare.sql").read_text(encoding="utf-8")
    engine.execute(sql)


def run_typology(
    engine: MonitoringEngine,
    typology: Typology,
    overrides: Mapping[str, Any] | None = None,
    weights: RiskWeights | None = None,
) -> RuleRun:
    """Run one typology over the loaded tables.

    Raises:
        EngineError: The SQL failed (the message carries the SQL), or lacks a required column.
    """
    weights = weights or risk_weights()
    parameters = typology.bind(overrides)
    started = time.perf_counter()
    sql = engine.dialect.render(typology.sql)
    table = engine.query(sql, parameters)
    missing = [c for c in REQUIRED_OUTPUT if c not in table.column_names]
    if missing:
        raise EngineError(f"typology {typology.name} returned no column(s) {missing}", sql)
    weight = weights.weight(typology.name)
    alerts: list[Alert] = []
    for row in table.to_pylist():
        strength = max(0.0, min(1.0, float(row.pop("strength") or 0.0)))
        score = round(weight * strength, 4)
        if score < weights.min_alert_score:
            continue
        account_id = str(row.pop("account_id"))
        transactions = tuple(str(t) for t in (row.pop("txn_ids") or ()))
        row["account_id"] = account_id
        row["n_transactions"] = len(transactions)
        alerts.append(
            Alert(
                account_id=account_id,
                rule=typology.name,
                rule_version=typology.version,
                score=score,
                strength=round(strength, 4),
                transactions=transactions,
                explanation=explain(typology, row, parameters),
                parameters=parameters,
                evidence=row,
            )
        )
    alerts.sort(key=lambda a: (a.account_id, -a.score))
    return RuleRun(typology, parameters, tuple(alerts), time.perf_counter() - started)


def run_rules(
    engine: MonitoringEngine,
    rules: list[str] | None = None,
    overrides: Overrides | None = None,
    weights: RiskWeights | None = None,
) -> tuple[RuleRun, ...]:
    """Run the named typologies (all by default) over tables already loaded into ``engine``."""
    prepare(engine)
    overrides = overrides or {}
    return tuple(
        run_typology(engine, typology, overrides.get(typology.name), weights)
        for typology in select_typologies(rules)
    )


def monitor_files(
    transactions: Path,
    accounts: Path | None = None,
    listed: Path | None = None,
    *,
    rules: list[str] | None = None,
    overrides: Overrides | None = None,
    engine: MonitoringEngine | None = None,
    base_date: dt.date | None = None,
) -> MonitoringRun:
    """Load files and run the typologies: the library form of ``raqib monitor run``.

    Args:
        transactions: Transactions CSV/Parquet (Raqib or AMLSim layout, detected from the header).
        accounts: Optional accounts file (Raqib or AMLSim layout).
        listed: Optional CSV of account ids with a confirmed screening hit (``account_id`` column).
        rules: Typology names to run; all when ``None``.
        overrides: Parameter overrides per typology.
        engine: Engine to use; a fresh in-memory DuckDB by default.
        base_date: Date of AMLSim step 0.

    Raises:
        InvalidInput: A file could not be used (names the file, line and column).
    """
    own_engine = engine is None
    engine = engine or DuckDBEngine()
    try:
        started = time.perf_counter()
        extra = {} if base_date is None else {"base_date": base_date}
        layouts = {"transactions": load_table(engine, transactions, "transactions", **extra)}
        if accounts is not None:
            layouts["accounts"] = load_table(engine, accounts, "accounts", **extra)
        else:
            empty_accounts(engine)
        load_listed(engine, listed)
        count = int(engine.query("SELECT count(*) AS n FROM transactions").column("n")[0].as_py())
        load_seconds = time.perf_counter() - started
        results = run_rules(engine, rules, overrides)
        flagged = {alert.account_id for rule in results for alert in rule.alerts}
        owners = engine.query("SELECT account_id, customer_id FROM accounts WHERE customer_id IS NOT NULL")
        customer_of = {
            account: customer
            for account, customer in zip(
                owners.column("account_id").to_pylist(), owners.column("customer_id").to_pylist(), strict=True
            )
            if account in flagged
        }
        return MonitoringRun(results, layouts, load_seconds, count, customer_of)
    finally:
        if own_engine:
            engine.close()


__all__ = [
    "MonitoringRun",
    "Overrides",
    "RuleRun",
    "explain",
    "monitor_files",
    "prepare",
    "run_rules",
    "run_typology",
]
