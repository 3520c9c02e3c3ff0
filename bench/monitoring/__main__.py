"""bench/monitoring: detection per typology and throughput, beside per-account ML baselines.

Run: ``python -m bench.monitoring [--skip-throughput] [--throughput-rows N] [--skip-baseline]``.
Writes bench/out/monitoring.json and prints tables.

Measured:
- detection per typology (precision and recall of flagged accounts) on Raqib's seeded generator and on
  the IBM AMLSim samples in ../shared/data/aml (20K_cycle200, 20K_fanin200), with default parameters;
- the baselines on the same data: isolation forest (unsupervised, told the true fraud share) and
  gradient-boosted trees over per-account features (supervised, 5-fold out-of-fold), the family of
  the published AMLworld baselines; they need scikit-learn (bench extra);
- throughput: N generated transactions (Parquet, bench/out/monitoring/) through all rules on 2 threads.
Target (issue): 10,000,000 transactions through all rules on 2 cores in <= 60 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from bench.synthetic import SHARED
from raqib.monitoring import DuckDBEngine, generate, load_labels, load_listed, load_table, run_rules
from raqib.monitoring.formats import empty_accounts

OUT = Path(__file__).resolve().parent.parent / "out"
AMLSIM = SHARED / "aml" / "ibm_amlsim" / "sample"
console = Console()


def _prf(flagged: set[str], relevant: set[str]) -> dict[str, float | int]:
    hits = len(flagged & relevant)
    precision = hits / len(flagged) if flagged else 0.0
    recall = hits / len(relevant) if relevant else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"flagged": len(flagged), "relevant": len(relevant), "hits": hits,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}  # fmt: skip


def evaluate(name: str, transactions: Path, accounts: Path | None, listed: Path | None, labels: Path,
             baseline: bool) -> dict[str, Any]:  # fmt: skip
    """Run every rule on one data set and score flagged accounts against its labels."""
    engine = DuckDBEngine(threads=2)
    load_table(engine, transactions, "transactions")
    if accounts is not None:
        load_table(engine, accounts, "accounts")
    else:
        empty_accounts(engine)
    load_listed(engine, listed)
    truth = load_labels(labels)
    started = time.perf_counter()
    runs = run_rules(engine)
    seconds = time.perf_counter() - started
    typed = any("*" not in kinds for kinds in truth.values())
    by_kind: dict[str, set[str]] = defaultdict(set)
    for account, kinds in truth.items():
        for kind in kinds:
            by_kind[kind].add(account)
    result: dict[str, Any] = {
        "data": name,
        "accounts_labelled": len(truth),
        "seconds": round(seconds, 2),
        "rules": {},
    }
    union: set[str] = set()
    for run in runs:
        flagged = {a.account_id for a in run.alerts}
        union |= flagged
        relevant = by_kind.get(run.typology.name, set()) if typed else set(truth)
        result["rules"][run.typology.name] = _prf(flagged, relevant) | {"seconds": round(run.seconds, 2)}
    result["all_rules"] = _prf(union, set(truth))
    if baseline:
        from bench.monitoring.baseline import account_features, gradient_boosting, isolation_forest

        ids, features = account_features(engine)
        labels_vector = np.array([account in truth for account in ids])
        share = float(labels_vector.mean())
        for model, predicted in (
            ("isolation_forest", isolation_forest(features, share)),
            ("gradient_boosting_oof", gradient_boosting(features, labels_vector)),
        ):
            flagged = {ids[i] for i in np.flatnonzero(predicted)}
            entry = _prf(flagged, set(truth))
            if typed:
                entry["recall_by_typology"] = {
                    k: round(len(flagged & v) / len(v), 3) for k, v in sorted(by_kind.items())
                }
            result[model] = entry
    engine.close()
    return result


def throughput(rows: int) -> dict[str, Any]:
    """Generate ``rows`` transactions to Parquet once, then time load + all rules on 2 threads."""
    folder = OUT / "monitoring" / f"tp_{rows}"
    if not (folder / "transactions.parquet").exists():
        started = time.perf_counter()
        generate(accounts=max(1_000, rows // 10), transactions=rows, instances=50, seed=7).write(
            folder, "parquet"
        )
        console.print(f"generated {rows:,} transactions in {time.perf_counter() - started:.0f} s -> {folder}")
    engine = DuckDBEngine(threads=2)
    started = time.perf_counter()
    load_table(engine, folder / "transactions.parquet", "transactions")
    load_table(engine, folder / "accounts.parquet", "accounts")
    load_listed(engine, folder / "listed.csv")
    loaded = time.perf_counter()
    runs = run_rules(engine)
    finished = time.perf_counter()
    count = engine.query("SELECT count(*) AS n FROM transactions").column("n")[0].as_py()
    engine.close()
    return {
        "transactions": count,
        "threads": 2,
        "load_seconds": round(loaded - started, 1),
        "rules_seconds": round(finished - loaded, 1),
        "total_seconds": round(finished - started, 1),
        "per_rule_seconds": {r.typology.name: round(r.seconds, 1) for r in runs},
        "alerts": sum(len(r.alerts) for r in runs),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "target_seconds": 60,
    }


def _print(result: dict[str, Any]) -> None:
    table = Table(
        title=f"{result['data']}: flagged accounts vs labels ({result['accounts_labelled']} labelled)"
    )
    for column in ("rule", "flagged", "hits", "precision", "recall", "f1"):
        table.add_column(column)
    rows = [(name, figures) for name, figures in result["rules"].items()]
    rows.append(("ALL RULES", result["all_rules"]))
    for model in ("isolation_forest", "gradient_boosting_oof"):
        if model in result:
            rows.append((f"baseline: {model}", result[model]))
    for name, figures in rows:
        table.add_row(name, *(str(figures[k]) for k in ("flagged", "hits", "precision", "recall", "f1")))
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--throughput-rows", type=int, default=10_000_000)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    results: dict[str, Any] = {"detection": []}
    generated = OUT / "monitoring" / f"generator_seed{args.seed}"
    paths = generate(accounts=20_000, transactions=500_000, instances=20, seed=args.seed).write(generated)
    datasets = [("raqib generator (20k accounts, 500k txns, 20 per typology)", paths["transactions"],
                 paths["accounts"], paths["listed"], paths["truth"])]  # fmt: skip
    for sample in ("20K_cycle200", "20K_fanin200"):
        folder = AMLSIM / sample
        if folder.exists():
            nodes = folder / "nodes.csv"
            datasets.append((f"AMLSim {sample}", folder / "transactions.csv", nodes, None, nodes))
    for name, transactions, accounts, listed, labels in datasets:
        result = evaluate(name, transactions, accounts, listed, labels, not args.skip_baseline)
        results["detection"].append(result)
        _print(result)
    if not args.skip_throughput:
        results["throughput"] = throughput(args.throughput_rows)
        console.print(results["throughput"])
    OUT.mkdir(exist_ok=True)
    (OUT / "monitoring.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    console.print(f"wrote {OUT / 'monitoring.json'}")


if __name__ == "__main__":
    main()
