"""``raqib monitor``: run terrorist-financing typologies over transactions, list them, backtest them.

External checks rely on ``raqib monitor run --transactions T --output ALERTS.csv`` writing
``account_id,rule,score,transactions,explanation`` (one row per alert) and on ``raqib monitor rules``.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from raqib.cli._common import console, err_console, write_json
from raqib.monitoring import (
    backtest,
    customer_scores,
    generate,
    load_labels,
    load_overrides,
    load_typologies,
    monitor_files,
    write_alerts_csv,
    write_customer_scores_csv,
)

monitor_app = typer.Typer(
    help="Transaction monitoring for terrorist-financing typologies.", no_args_is_help=True
)

RULES_HELP = "Run only these typologies (repeat the option); all by default."


@monitor_app.command("run")
def run(
    transactions: Path = typer.Option(..., "--transactions", "-t", help="Transactions CSV or Parquet."),
    output: Path = typer.Option(..., "--output", "-o", help="Alerts CSV to write (atomically)."),
    accounts: Path | None = typer.Option(None, "--accounts", "-a", help="Accounts CSV or Parquet."),
    listed: Path | None = typer.Option(
        None, "--listed", help="CSV with an account_id column: accounts with a confirmed screening hit."
    ),
    rules: list[str] | None = typer.Option(None, "--rule", "-r", help=RULES_HELP),
    parameters: Path | None = typer.Option(
        None, "--parameters", "-p", help="YAML of parameter overrides: {typology: {parameter: value}}."
    ),
    customers: Path | None = typer.Option(
        None, "--customer-scores", help="Also write customer_id,risk_score CSV."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print a machine-readable summary."),
    record: bool = typer.Option(
        False, "--record", help="Also record the alerts in Raqib's store, for case management."
    ),
) -> None:
    """Run the typologies and write one row per alert: account_id,rule,score,transactions,explanation."""
    result = monitor_files(
        transactions, accounts, listed, rules=rules or None, overrides=load_overrides(parameters)
    )
    alerts = result.alerts
    write_alerts_csv(output, alerts)
    if record:
        from raqib.cli._common import open_store
        from raqib.screening.recording import record_monitoring_alerts

        record_monitoring_alerts(open_store().engine, [a.as_case_alert() for a in alerts])
    if customers is not None:
        write_customer_scores_csv(customers, customer_scores(alerts, result.customer_of))
    per_rule = {
        r.typology.name: {"alerts": len(r.alerts), "seconds": round(r.seconds, 3)} for r in result.rules
    }
    summary: dict[str, object] = {
        "transactions": result.transactions,
        "layouts": dict(result.layouts),
        "alerts": len(alerts),
        "accounts_flagged": len({a.account_id for a in alerts}),
        "load_seconds": round(result.load_seconds, 3),
        "rules": per_rule,
        "output": str(output),
    }
    if as_json:
        write_json(summary)
        return
    table = Table("rule", "alerts", "seconds")
    for name, figures in per_rule.items():
        table.add_row(name, str(figures["alerts"]), f"{figures['seconds']:.2f}")
    console.print(table)
    err_console.print(
        f"{len(alerts)} alert(s) on {summary['accounts_flagged']} account(s) from {result.transactions} "
        f"transactions -> {output}"
    )


@monitor_app.command("rules")
def rules_command(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """List the typologies with their sources and parameters."""
    typologies = load_typologies()
    if as_json:
        write_json(
            [
                {
                    "name": t.name,
                    "title": t.title,
                    "version": t.version,
                    "source": t.source,
                    "description": t.description,
                    "parameters": {name: p.model_dump(exclude_none=True) for name, p in t.parameters.items()},
                }
                for t in typologies.values()
            ]
        )
        return
    for typology in typologies.values():
        console.print(f"[bold]{typology.name}[/] (v{typology.version}) - {typology.title}", highlight=False)
        console.print(f"  {typology.description}", highlight=False, soft_wrap=True)
        for source in typology.source:
            console.print(f"  source: {source}", highlight=False, soft_wrap=True)
        for name, parameter in typology.parameters.items():
            console.print(
                f"  {name} = {json.dumps(parameter.default)} ({parameter.type}): {parameter.description}",
                highlight=False,
                soft_wrap=True,
            )


@monitor_app.command("backtest")
def backtest_command(
    transactions: Path = typer.Option(
        ..., "--transactions", "-t", help="Transactions CSV or Parquet (history)."
    ),
    parameters_a: Path | None = typer.Option(
        None, "--parameters-a", help="Overrides for set A (default: none)."
    ),
    parameters_b: Path | None = typer.Option(None, "--parameters-b", help="Overrides for set B."),
    accounts: Path | None = typer.Option(None, "--accounts", "-a", help="Accounts CSV or Parquet."),
    listed: Path | None = typer.Option(None, "--listed", help="CSV of listed account ids."),
    labels: Path | None = typer.Option(
        None, "--labels", help="Known bad accounts: AMLSim nodes.csv or account_id[,typology] CSV."
    ),
    rules: list[str] | None = typer.Option(None, "--rule", "-r", help=RULES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Compare two parameter sets over the same history: alert volume and hits per typology."""
    result = backtest(
        transactions,
        load_overrides(parameters_a),
        load_overrides(parameters_b),
        accounts=accounts,
        listed=listed,
        labels=None if labels is None else load_labels(labels),
        rules=rules or None,
    )
    rows = result.as_rows()
    if as_json:
        write_json({"labelled_accounts": result.labelled_accounts, "rules": rows})
        return
    table = Table(
        "rule",
        "alerts A",
        "alerts B",
        "hits A",
        "hits B",
        "precision A",
        "precision B",
        "recall A",
        "recall B",
    )
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    console.print(table)


@monitor_app.command("generate")
def generate_command(
    output: Path = typer.Option(..., "--output", "-o", help="Folder to write into."),
    accounts: int = typer.Option(5_000, help="Customer accounts."),
    transactions: int = typer.Option(100_000, help="Background transactions."),
    instances: int = typer.Option(10, help="Occurrences planted per typology."),
    days: int = typer.Option(365, help="Days of history."),
    seed: int = typer.Option(0, help="Random seed."),
    file_format: str = typer.Option("csv", "--format", help="csv or parquet."),
) -> None:
    """Write synthetic transactions with planted typologies, their ground truth and listed accounts."""
    data = generate(accounts=accounts, transactions=transactions, instances=instances, days=days, seed=seed)
    paths = data.write(output, file_format)
    err_console.print(f"wrote {', '.join(str(p) for p in paths.values())}")


__all__ = ["monitor_app"]
