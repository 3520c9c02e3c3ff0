from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from raqib.monitoring import (
    ALERT_CSV_COLUMNS,
    MonitoringEngine,
    customer_scores,
    generate,
    load_labels,
    load_listed,
    load_table,
    monitor_files,
    run_rules,
    write_alerts_csv,
)
from raqib.monitoring.synthetic import PLANTED


def test_every_planted_typology_is_found_by_its_rule(
    engine: MonitoringEngine, generated: dict[str, Path]
) -> None:
    load_table(engine, generated["transactions"], "transactions")
    load_table(engine, generated["accounts"], "accounts")
    load_listed(engine, generated["listed"])
    truth = load_labels(generated["truth"])
    planted: dict[str, set[str]] = defaultdict(set)
    for account, kinds in truth.items():
        for kind in kinds:
            planted[kind].add(account)
    runs = {run.typology.name: run for run in run_rules(engine)}
    for kind in PLANTED:
        flagged = {alert.account_id for alert in runs[kind].alerts}
        recall = len(flagged & planted[kind]) / len(planted[kind])
        assert recall >= 0.9, (kind, recall)


def test_alerts_explain_rule_parameters_and_transactions(generated: dict[str, Path]) -> None:
    run = monitor_files(
        generated["transactions"], generated["accounts"], generated["listed"], rules=["structuring"]
    )
    alert = run.alerts[0]
    assert alert.rule == "structuring"
    assert alert.rule_version == 1
    assert len(alert.transactions) >= 3
    assert "reporting_threshold=10000.0" in alert.explanation
    assert alert.explanation.startswith("Structuring below a reporting threshold (v1): ")
    assert alert.as_case_alert()["transactions"] == list(alert.transactions)
    assert 0 < alert.score <= 1


def test_overrides_change_the_result(generated: dict[str, Path]) -> None:
    strict = monitor_files(
        generated["transactions"], rules=["structuring"], overrides={"structuring": {"min_count": 50}}
    )
    assert strict.alerts == []


def test_runs_are_deterministic(generated: dict[str, Path]) -> None:
    first = monitor_files(generated["transactions"], generated["accounts"], generated["listed"])
    second = monitor_files(generated["transactions"], generated["accounts"], generated["listed"])
    assert [(a.account_id, a.rule, a.score, a.transactions) for a in first.alerts] == [
        (a.account_id, a.rule, a.score, a.transactions) for a in second.alerts
    ]


def test_alerts_csv_is_written_whole(tmp_path: Path, generated: dict[str, Path]) -> None:
    run = monitor_files(generated["transactions"], rules=["round_amounts"])
    path = tmp_path / "out" / "alerts.csv"
    write_alerts_csv(path, run.alerts)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == ALERT_CSV_COLUMNS
    assert len(rows) == len(run.alerts) + 1
    assert [p.name for p in path.parent.iterdir()] == ["alerts.csv"]  # no temp file left behind


def test_customer_scores_combine_as_noisy_or(generated: dict[str, Path]) -> None:
    run = monitor_files(generated["transactions"], generated["accounts"], generated["listed"])
    scores = customer_scores(run.alerts, run.customer_of)
    assert all(0 < s <= 1 for s in scores.values())
    by_customer: dict[str, list[float]] = defaultdict(list)
    for alert in run.alerts:
        by_customer[run.customer_of.get(alert.account_id, alert.account_id)].append(alert.score)
    customer, alert_scores = max(by_customer.items(), key=lambda item: len(item[1]))
    assert scores[customer] >= max(alert_scores)


def test_generator_is_seeded() -> None:
    first = generate(accounts=400, transactions=2_000, instances=1, seed=3)
    second = generate(accounts=400, transactions=2_000, instances=1, seed=3)
    other = generate(accounts=400, transactions=2_000, instances=1, seed=4)
    assert first.transactions.equals(second.transactions)
    assert first.truth.equals(second.truth)
    assert not first.transactions.equals(other.transactions)
    assert set(first.truth.column("typology").to_pylist()) == set(PLANTED)


def test_generator_refuses_too_few_accounts() -> None:
    with pytest.raises(ValueError, match="not enough accounts"):
        generate(accounts=50, transactions=100, instances=5)
