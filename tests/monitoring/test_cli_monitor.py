"""``raqib monitor`` as external checks use it (the sub-app is tested directly until it is wired in)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from raqib.cli.monitor import monitor_app
from raqib.errors import InvalidInput

from .conftest import DATA

runner = CliRunner()


def test_run_on_amlsim_writes_the_contract_columns(tmp_path: Path) -> None:
    output = tmp_path / "alerts.csv"
    result = runner.invoke(
        monitor_app,
        ["run", "--transactions", str(DATA / "amlsim_cycle200" / "transactions.csv"),
         "--accounts", str(DATA / "amlsim_cycle200" / "nodes.csv"), "--output", str(output), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["layouts"] == {"transactions": "amlsim", "accounts": "amlsim"}
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["account_id", "rule", "score", "transactions", "explanation"]
    assert len(rows) == summary["alerts"] > 0
    assert all(float(row["score"]) > 0 and row["transactions"] for row in rows)


def test_run_with_listed_accounts_and_customer_scores(tmp_path: Path, generated: dict[str, Path]) -> None:
    output, scores = tmp_path / "alerts.csv", tmp_path / "customers.csv"
    result = runner.invoke(
        monitor_app,
        ["run", "-t", str(generated["transactions"]), "-a", str(generated["accounts"]),
         "--listed", str(generated["listed"]), "-o", str(output), "--customer-scores", str(scores),
         "--rule", "listed_proximity"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8") as handle:
        rules = {row["rule"] for row in csv.DictReader(handle)}
    assert rules == {"listed_proximity"}
    with scores.open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    assert first["customer_id"].startswith("C")
    assert float(first["risk_score"]) > 0


def test_bad_input_leaves_no_output(tmp_path: Path) -> None:
    bad = tmp_path / "t.csv"
    bad.write_text("id,timestamp,from_account,to_account,amount,currency\nt1,2024-01-01,A,B,1O,USD\n")
    output = tmp_path / "alerts.csv"
    result = runner.invoke(monitor_app, ["run", "-t", str(bad), "-o", str(output)])
    assert isinstance(result.exception, InvalidInput)
    assert result.exception.exit_code == 2
    assert f"{bad}, line 2, field 'amount'" in result.exception.message
    assert not output.exists()


def test_rules_lists_typologies_and_parameters() -> None:
    result = runner.invoke(monitor_app, ["rules", "--json"])
    assert result.exit_code == 0
    rules = {rule["name"]: rule for rule in json.loads(result.stdout)}
    assert rules["fan_in"]["parameters"]["min_senders"]["default"] == 4
    text = runner.invoke(monitor_app, ["rules"]).stdout
    assert "structuring" in text
    assert "window_days" in text


def test_backtest_compares_two_parameter_sets(tmp_path: Path, generated: dict[str, Path]) -> None:
    strict = tmp_path / "strict.yml"
    strict.write_text("fan_in:\n  min_senders: 30\n")
    result = runner.invoke(
        monitor_app,
        ["backtest", "-t", str(generated["transactions"]), "-a", str(generated["accounts"]),
         "--parameters-b", str(strict), "--labels", str(generated["truth"]), "--rule", "fan_in", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = {row["rule"]: row for row in json.loads(result.stdout)["rules"]}
    assert rows["fan_in"]["alerts_b"] < rows["fan_in"]["alerts_a"]
    assert rows["fan_in"]["recall_a"] >= 0.9
    assert rows["fan_in"]["hits_b"] <= rows["fan_in"]["hits_a"]


def test_generate_writes_data(tmp_path: Path) -> None:
    result = runner.invoke(
        monitor_app,
        ["generate", "-o", str(tmp_path), "--accounts", "600", "--transactions", "3000", "--instances", "1"],
    )
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == {
        "transactions.csv",
        "accounts.csv",
        "truth.csv",
        "listed.csv",
    }
