"""``raqib payments screen FILE...``: screen payment messages (ISO 20022 XML, SWIFT MT FIN/RJE).

Exit status: 0 when every message passes, 10 when any is for review (or unreadable with
``--keep-going``), 11 when any is held, 2 when a file cannot be read
(as every :class:`~raqib.errors.InvalidInput`) — so a script can
stop a payment on the exit code alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from raqib.cli._common import console, err_console, open_store, settle_heap, write_json
from raqib.errors import InvalidInput
from raqib.payments import (
    Decision,
    IdentifierIndex,
    MessageError,
    PaymentMessage,
    PaymentScreener,
    load_jurisdictions,
    parse_messages,
)
from raqib.payments._xml import MAX_MESSAGE_BYTES
from raqib.screening import Screener, record_payment_hold

payments_app = typer.Typer(
    help="Screen payment messages (ISO 20022 pacs.008/pacs.009/pain.001, SWIFT MT103/MT202)."
)

EXIT_REVIEW = 10
EXIT_HOLD = 11


def _read(path: Path) -> list[PaymentMessage | MessageError]:
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if path.stat().st_size > MAX_MESSAGE_BYTES:
        raise InvalidInput(
            f"{path}: the file is too large ({path.stat().st_size} bytes)", code="message_too_large"
        )
    return parse_messages(path.read_bytes(), str(path))


@payments_app.command("screen")
def screen(
    files: list[Path] = typer.Argument(
        ..., help="Message files: XML (one message) or FIN/RJE (one or more)."
    ),
    lists: list[str] = typer.Option(None, "--list", help="Screen only against these lists (default: all)."),
    threshold: float | None = typer.Option(None, "--threshold", help="Hold threshold for party names."),
    keep_going: bool = typer.Option(
        False, "--keep-going", help="Report an unreadable file as an error result instead of stopping."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Parse and screen each message: pass, review or hold, with every reason."""
    if threshold is not None and not 0.0 < threshold <= 1.0:
        raise InvalidInput("--threshold must be in (0, 1]")
    parsed: list[PaymentMessage | MessageError] = []
    for path in files:  # parse everything first: a bad file fails fast, before the index build
        try:
            parsed.extend(_read(path))
        except InvalidInput as err:
            if not keep_going:
                raise
            parsed.append(MessageError(str(path), err.code, err.message))
    store = open_store()
    with console.status("building the matching index ..."):
        screener = Screener.from_store(store, lists or None)
        identifiers = IdentifierIndex(e for v in screener.versions for e in store.entities(v.id))
    settle_heap()
    payments = PaymentScreener(screener, identifiers, threshold=threshold)
    results = payments.screen_all(parsed)
    for item in results:
        if isinstance(item, Decision) and item.hold:  # a hold raises an alert, so it reaches a case
            record_payment_hold(store.engine, item.to_dict(), screener.versions)
    worst = _worst(results)
    if as_json:
        table = load_jurisdictions()
        write_json(
            {
                "decision": worst,
                "hold": worst == "hold",
                "jurisdiction_table": {"statement_date": table.statement_date, "version": table.version},
                "list_versions": screener.list_versions(),
                "results": [_result(r) for r in results],
            }
        )
    else:
        _print(results)
    if worst == "hold":
        raise typer.Exit(EXIT_HOLD)
    if worst == "review":
        raise typer.Exit(EXIT_REVIEW)


def _result(item: Decision | MessageError) -> dict[str, Any]:
    if isinstance(item, MessageError):
        return {"ok": False, **item.to_dict()}
    return {"ok": True, **item.to_dict()}


def _worst(results: list[Decision | MessageError]) -> str:
    outcomes = {r.outcome if isinstance(r, Decision) else "review" for r in results}
    return "hold" if "hold" in outcomes else "review" if "review" in outcomes else "pass"


def _print(results: list[Decision | MessageError]) -> None:
    style = {"pass": "green", "review": "yellow", "hold": "bold red"}
    for item in results:
        if isinstance(item, MessageError):
            err_console.print(f"[red]error[/] {item.source}: {item.code}: {item.message}", highlight=False)
            continue
        message = item.message
        console.print(
            f"[{style[item.outcome]}]{item.outcome.upper()}[/] {message.source} "
            f"{message.message_type} id={message.message_id} {message.amount or ''} {message.currency or ''}",
            highlight=False,
        )
        for warning in message.warnings:
            console.print(f"  warning: {warning}", highlight=False)
        if not item.reasons:
            continue
        table = Table(show_header=True, box=None, pad_edge=False)
        for column in ("action", "kind", "field", "value", "hit", "score"):
            table.add_column(column, overflow="fold")
        for reason in item.reasons:
            hit = reason.hit
            label = (
                f"{hit.get('caption')} ({hit.get('source')} {hit.get('source_ref')})"
                if "entity_id" in hit
                else f"{hit.get('name')} [{', '.join(hit.get('categories', []))}]"
            )
            table.add_row(
                reason.action, reason.kind, reason.field, reason.value, label, f"{reason.score:.3f}"
            )
        console.print(table)


__all__ = ["payments_app"]
