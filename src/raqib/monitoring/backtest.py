"""Backtesting: run a rule set over history with two parameter sets and compare them.

The data is loaded once; each parameter set runs every selected typology. For each typology the
comparison gives the alert volume and, when labels are known (AMLSim ``isFraud``, the generator's
ground truth, or confirmed cases), the hits: flagged accounts that are labelled, with precision and
recall of flagged accounts.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from raqib.errors import InvalidInput, ListParseError
from raqib.monitoring.engines import DuckDBEngine, MonitoringEngine
from raqib.monitoring.formats import empty_accounts, load_listed, load_table
from raqib.monitoring.runner import Overrides, RuleRun, run_rules

#: Label given to accounts known to be bad without a typology (AMLSim ``isFraud``).
ANY_TYPOLOGY = "*"


def load_overrides(path: Path | None) -> dict[str, dict[str, Any]]:
    """Read parameter overrides: YAML ``{typology: {parameter: value}}``.

    Raises:
        InvalidInput: Not a mapping of mappings.
    """
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise InvalidInput(f"{path}: cannot read parameter file ({err})") from err
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise InvalidInput(f"{path}: expected a mapping of typology name to parameter mapping")
    return {str(k): dict(v) for k, v in data.items()}


def load_labels(path: Path) -> dict[str, set[str]]:
    """Accounts known to be bad: AMLSim ``nodes.csv`` (``isFraud``) or ``account_id[,typology]`` CSV.

    Returns:
        Account id to the typologies it was planted in (:data:`ANY_TYPOLOGY` when unknown).

    Raises:
        InvalidInput: Neither layout.
    """
    labels: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = {f.lower(): f for f in reader.fieldnames or []}
        if "nodeid" in fields and "isfraud" in fields:
            for row in reader:
                if row[fields["isfraud"]].strip().lower() in {"1", "true"}:
                    labels[row[fields["nodeid"]].strip()].add(ANY_TYPOLOGY)
        elif "account_id" in fields:
            typology = fields.get("typology")
            for row in reader:
                labels[row[fields["account_id"]].strip()].add(
                    row[typology].strip() if typology else ANY_TYPOLOGY
                )
        else:
            raise ListParseError(
                "labels need nodeid,isFraud or account_id[,typology]", path=str(path), line=1
            )
    return dict(labels)


@dataclass(frozen=True, slots=True)
class RuleComparison:
    """One typology under parameter sets A and B."""

    rule: str
    alerts_a: int
    alerts_b: int
    hits_a: int | None
    hits_b: int | None
    precision_a: float | None
    precision_b: float | None
    recall_a: float | None
    recall_b: float | None


@dataclass(frozen=True, slots=True)
class BacktestResult:
    """Per-typology comparison plus the union over all typologies (``rule == "all"``)."""

    rules: tuple[RuleComparison, ...]
    labelled_accounts: int | None

    def as_rows(self) -> list[dict[str, Any]]:
        """Plain dicts for JSON or a table."""
        return [
            {name: getattr(comparison, name) for name in RuleComparison.__dataclass_fields__}
            for comparison in self.rules
        ]


def _score(flagged: set[str], relevant: set[str] | None) -> tuple[int | None, float | None, float | None]:
    if relevant is None:
        return None, None, None
    hits = len(flagged & relevant)
    precision = hits / len(flagged) if flagged else 0.0
    recall = hits / len(relevant) if relevant else 0.0
    return hits, round(precision, 4), round(recall, 4)


def _relevant(labels: Mapping[str, set[str]] | None, rule: str) -> set[str] | None:
    """Labelled accounts a rule should find: those planted for it, or all when typologies are unknown."""
    if labels is None:
        return None
    typed = {account for account, kinds in labels.items() if rule in kinds}
    if typed or rule == "all":
        return typed if rule != "all" else set(labels)
    return set(labels) if any(ANY_TYPOLOGY in kinds for kinds in labels.values()) else set()


def compare(
    runs_a: tuple[RuleRun, ...], runs_b: tuple[RuleRun, ...], labels: Mapping[str, set[str]] | None
) -> BacktestResult:
    """Compare two runs of the same typologies."""
    comparisons: list[RuleComparison] = []
    all_a: set[str] = set()
    all_b: set[str] = set()
    for run_a, run_b in zip(runs_a, runs_b, strict=True):
        flagged_a = {a.account_id for a in run_a.alerts}
        flagged_b = {a.account_id for a in run_b.alerts}
        all_a |= flagged_a
        all_b |= flagged_b
        relevant = _relevant(labels, run_a.typology.name)
        hits_a, precision_a, recall_a = _score(flagged_a, relevant)
        hits_b, precision_b, recall_b = _score(flagged_b, relevant)
        comparisons.append(
            RuleComparison(
                run_a.typology.name,
                len(run_a.alerts),
                len(run_b.alerts),
                hits_a,
                hits_b,
                precision_a,
                precision_b,
                recall_a,
                recall_b,
            )
        )
    relevant_all = _relevant(labels, "all")
    hits_a, precision_a, recall_a = _score(all_a, relevant_all)
    hits_b, precision_b, recall_b = _score(all_b, relevant_all)
    comparisons.append(
        RuleComparison(
            "all", len(all_a), len(all_b), hits_a, hits_b, precision_a, precision_b, recall_a, recall_b
        )
    )
    return BacktestResult(tuple(comparisons), None if labels is None else len(labels))


def backtest(
    transactions: Path,
    parameters_a: Overrides,
    parameters_b: Overrides,
    *,
    accounts: Path | None = None,
    listed: Path | None = None,
    labels: Mapping[str, set[str]] | None = None,
    rules: list[str] | None = None,
    engine: MonitoringEngine | None = None,
) -> BacktestResult:
    """Run the typologies twice over the same history and compare alert volume and hits.

    For ``"all"``, the alert count is the number of distinct flagged accounts.
    """
    own_engine = engine is None
    engine = engine or DuckDBEngine()
    try:
        load_table(engine, transactions, "transactions")
        if accounts is not None:
            load_table(engine, accounts, "accounts")
        else:
            empty_accounts(engine)
        load_listed(engine, listed)
        runs_a = run_rules(engine, rules, parameters_a)
        runs_b = run_rules(engine, rules, parameters_b)
        return compare(runs_a, runs_b, labels)
    finally:
        if own_engine:
            engine.close()


__all__ = [
    "ANY_TYPOLOGY",
    "BacktestResult",
    "RuleComparison",
    "backtest",
    "compare",
    "load_labels",
    "load_overrides",
]
