"""``raqib customers``, ``raqib jobs``, ``raqib alerts`` and ``raqib allow``: the daily screening work."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import typer
from rich.table import Table

from raqib.cases import AlertStore
from raqib.cli._common import console, progress_bar, settle_heap, write_json
from raqib.config import get_settings
from raqib.db import open_engine
from raqib.errors import InvalidInput
from raqib.lists import ListStore, default_pairs
from raqib.screening import AllowList, CustomerRegister, Screener, ScreeningJobs

customers_app = typer.Typer(help="The customer register: import and count.", no_args_is_help=True)
jobs_app = typer.Typer(
    help="Batch jobs: screen the register, re-screen after a list update.", no_args_is_help=True
)
alerts_app = typer.Typer(help="Alerts raised by screening.", no_args_is_help=True)
allow_app = typer.Typer(help="The allow-list of confirmed false positives.", no_args_is_help=True)

DEFAULT_WORKERS = min(2, os.cpu_count() or 1)


def _engine():  # type: ignore[no-untyped-def]
    return open_engine(get_settings().database_url)


@customers_app.command("import")
def import_customers(
    path: Path = typer.Argument(..., help="CSV (header id,name[,dob,country,type]) or Parquet file."),
    replace: bool = typer.Option(False, "--replace", help="Deactivate customers missing from this file."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Import or update the customer register in one transaction (a bad row changes nothing)."""
    with console.status(f"importing {path.name} ..."):
        result = CustomerRegister(_engine()).import_file(path, replace=replace)
    if as_json:
        write_json(
            {
                "rows": result.rows,
                "inserted": result.inserted,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "deactivated": result.deactivated,
            }
        )
        return
    console.print(
        f"{result.rows} rows: {result.inserted} new, {result.updated} updated, {result.unchanged} unchanged"
        + (f", {result.deactivated} deactivated" if replace else "")
    )


@customers_app.command("count")
def count_customers() -> None:
    """How many active customers the register holds."""
    console.print(str(CustomerRegister(_engine()).count()))


@jobs_app.command("screen-customers")
def screen_customers(
    threshold: float | None = typer.Option(
        None, "--threshold", help="Alert threshold (default: the algorithm's)."
    ),
    workers: int = typer.Option(DEFAULT_WORKERS, "--workers", help="Processes used for matching."),
    batch_size: int = typer.Option(5000, "--batch-size", help="Customers per committed batch."),
    restart: bool = typer.Option(
        False, "--restart", help="Start over instead of resuming an interrupted run."
    ),
    lists: list[str] = typer.Option(None, "--list", help="Only these lists (default: all)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Screen the whole register; an interrupted run (even kill -9) resumes where it stopped."""
    if batch_size < 1:
        raise InvalidInput("--batch-size must be at least 1")
    engine = _engine()
    with console.status("building the matching index ..."):
        screener = Screener.from_store(ListStore(engine), lists or None)
    settle_heap()
    jobs = ScreeningJobs(engine)
    with progress_bar() as progress:
        task = progress.add_task("screening customers", total=None)
        report = jobs.screen_customers(
            screener,
            threshold=threshold,
            workers=workers,
            batch_size=batch_size,
            restart=restart,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    _print_report(report.to_dict(), as_json)


@jobs_app.command("delta-screen")
def delta_screen(
    list_id: str | None = typer.Argument(
        None, help="The updated list (default: every list with two versions)."
    ),
    old: int | None = typer.Option(None, "--from", help="Older version id."),
    new: int | None = typer.Option(None, "--to", help="Newer version id."),
    threshold: float | None = typer.Option(
        None, "--threshold", help="Alert threshold (default: the algorithm's)."
    ),
    workers: int = typer.Option(DEFAULT_WORKERS, "--workers", help="Processes used for matching."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Re-screen the register against only what a list update added or changed."""
    engine = _engine()
    store = ListStore(engine)
    if (old is None) != (new is None):
        raise InvalidInput("give both --from and --to, or neither (the two most recent versions)")
    pairs = (
        [(store.version(old), store.version(new))]
        if old is not None and new is not None
        else default_pairs(store, list_id)
    )
    if not pairs:
        raise InvalidInput("no list has two versions yet: nothing to re-screen")
    reports = []
    jobs = ScreeningJobs(engine)
    for before, after in pairs:
        with progress_bar() as progress:
            task = progress.add_task(f"delta {after.list_id} v{before.id}→v{after.id}", total=None)
            report = jobs.delta(
                before,
                after,
                threshold=threshold,
                workers=workers,
                progress=lambda done, total, task=task: progress.update(task, completed=done, total=total),
            )
        reports.append(report.to_dict())
    if as_json:
        write_json(reports)
        return
    for item in reports:
        _print_report(item, False)


def _print_report(report: dict[str, object], as_json: bool) -> None:
    if as_json:
        write_json(report)
        return
    table = Table(
        title=f"job {report['job_id']} ({report['kind']}{', resumed' if report['resumed'] else ''})"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in report.items():
        if key not in {"job_id", "kind", "resumed"}:
            table.add_row(key.replace("_", " "), str(value))
    console.print(table)


@jobs_app.command("list")
def list_jobs(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Recent jobs with their progress."""
    rows = ScreeningJobs(_engine()).jobs()
    if as_json:
        write_json(rows)
        return
    table = Table(title="jobs")
    for column in ("id", "kind", "status", "processed", "total", "new alerts", "started", "finished"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["kind"],
            r["status"],
            str(r["processed"]),
            str(r["total"] or ""),
            str(r["hits"]),
            str(r["started_at"])[:19],
            str(r["finished_at"] or "")[:19],
        )
    console.print(table)


@alerts_app.command("list")
def list_alerts(
    status: str | None = typer.Option(None, "--status", help="open, entity_removed, closed"),
    customer: str | None = typer.Option(None, "--customer", help="Only this customer's alerts."),
    limit: int = typer.Option(100, "--limit"),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Alerts, oldest first."""
    rows = AlertStore(_engine()).list(status=status, customer_id=customer, limit=limit)
    if as_json:
        write_json(rows)
        return
    table = Table(title="alerts")
    for column in ("id", "customer", "entity", "score", "status", "source", "matched name"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["customer_id"],
            r["entity_id"],
            f"{r['score']:.3f}",
            r["status"],
            r["source"],
            r["matched_name"],
        )
    console.print(table)


@allow_app.command("add")
def allow_add(
    customer: str = typer.Argument(..., help="Customer id."),
    entity: str = typer.Argument(..., help="Entity id, e.g. un_sc:QDi.006."),
    reason: str = typer.Option(..., "--reason", help="Why this customer is not this entity."),
    by: str = typer.Option(..., "--by", help="Who decided."),
    expires: datetime | None = typer.Option(None, "--expires", help="When the decision lapses (ISO date)."),
) -> None:
    """Record a confirmed false positive: suppresses the pair until either record changes."""
    entry = AllowList(_engine()).add(customer, entity, reason, by, expires)
    console.print(
        f"allow-list entry {entry.id}: {customer} is not {entity} ({by}: {reason})", highlight=False
    )


@allow_app.command("list")
def allow_list(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Every allow-list entry, with who, when, why and expiry."""
    entries = AllowList(_engine()).entries()
    if as_json:
        write_json([e.to_dict() for e in entries])
        return
    table = Table(title="allow-list")
    for column in ("id", "customer", "entity", "by", "created", "expires", "revoked", "reason"):
        table.add_column(column, overflow="fold")
    for e in entries:
        table.add_row(
            str(e.id),
            e.customer_id,
            e.entity_id,
            e.created_by,
            e.created_at.isoformat()[:19],
            e.expires_at.isoformat()[:19] if e.expires_at else "",
            e.revoked_at.isoformat()[:19] if e.revoked_at else "",
            e.reason,
        )
    console.print(table)


@allow_app.command("revoke")
def allow_revoke(entry_id: int = typer.Argument(..., help="Entry id.")) -> None:
    """Revoke an allow-list entry at once."""
    entry = AllowList(_engine()).revoke(entry_id)
    console.print(f"revoked allow-list entry {entry.id}")


__all__ = ["alerts_app", "allow_app", "customers_app", "jobs_app"]
