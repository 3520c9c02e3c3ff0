"""Transaction monitoring for terrorist-financing typologies.

Screening finds listed people; monitoring finds money flows that look like terrorist financing,
including flows near listed people. Transactions and accounts (Raqib's CSV/Parquet layout or IBM
AMLSim's, recognised by header; see :mod:`raqib.monitoring.formats`) are loaded into an engine
(:class:`DuckDBEngine` by default, behind the :class:`MonitoringEngine` port). Each typology is a
YAML file in ``raqib/data/typologies/`` with its FATF/Egmont sources, documented parameters, an
explanation template and one SQL query with ``$name`` parameters bound by the engine
(:func:`load_typologies`). Running them (:func:`monitor_files`, :func:`run_rules`) gives
:class:`Alert` objects, each naming its rule and version, parameters, transactions and a sentence
of explanation; scores come from ``raqib/data/monitoring/risk_weights.yml`` and combine per
customer as a noisy-or (:func:`customer_scores`). :func:`backtest` compares two parameter sets on
history; :func:`generate` writes seeded synthetic data with planted typologies and ground truth.

Example::

    from pathlib import Path
    from raqib.monitoring import monitor_files, write_alerts_csv

    run = monitor_files(Path("transactions.csv"), Path("accounts.csv"))
    write_alerts_csv(Path("alerts.csv"), run.alerts)
"""

from __future__ import annotations

from raqib.monitoring.alerts import (
    ALERT_CSV_COLUMNS,
    Alert,
    RiskWeights,
    customer_scores,
    risk_weights,
    write_alerts_csv,
    write_customer_scores_csv,
)
from raqib.monitoring.backtest import BacktestResult, backtest, load_labels, load_overrides
from raqib.monitoring.engines import DuckDBEngine, EngineError, MonitoringEngine
from raqib.monitoring.formats import load_listed, load_table
from raqib.monitoring.runner import MonitoringRun, RuleRun, monitor_files, run_rules
from raqib.monitoring.synthetic import GeneratedData, generate
from raqib.monitoring.typologies import Parameter, Typology, jurisdictions, load_typologies, select_typologies

__all__ = [
    "ALERT_CSV_COLUMNS",
    "Alert",
    "BacktestResult",
    "DuckDBEngine",
    "EngineError",
    "GeneratedData",
    "MonitoringEngine",
    "MonitoringRun",
    "Parameter",
    "RiskWeights",
    "RuleRun",
    "Typology",
    "backtest",
    "customer_scores",
    "generate",
    "jurisdictions",
    "load_labels",
    "load_listed",
    "load_overrides",
    "load_table",
    "load_typologies",
    "monitor_files",
    "risk_weights",
    "run_rules",
    "select_typologies",
    "write_alerts_csv",
    "write_customer_scores_csv",
]
