"""``raqib audit``: check the hash chain, print its head, list records."""

from __future__ import annotations

import typer
from rich.table import Table

from raqib import audit
from raqib.cli._common import console, write_json
from raqib.config import get_settings
from raqib.db import open_engine
from raqib.errors import IntegrityError, InvalidInput

audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)


def _anchor(value: str | None) -> tuple[int, str] | None:
    if value is None:
        return None
    seq, _, digest = value.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise InvalidInput("--anchor is SEQ:HASH, as printed by `raqib audit head`")
    return int(seq), digest


@audit_app.command("verify")
def verify(
    anchor: str | None = typer.Option(
        None, "--anchor", help="SEQ:HASH written down earlier (`raqib audit head`): catches a full rewrite."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Recompute the chain; exit 5 and name the first bad record if anything was changed."""
    engine = open_engine(get_settings().database_url)
    broken = audit.verify(engine, anchor=_anchor(anchor))
    seq, digest = audit.head(engine)
    if as_json:
        write_json(
            {"ok": broken is None, "records": seq, "head": digest, "first_bad": broken and broken.to_dict()}
        )
    if broken is not None:
        raise IntegrityError(
            f"audit chain broken at record {broken.seq}: {broken.reason}", details=broken.to_dict()
        )
    if not as_json:
        console.print(f"audit chain intact: {seq} records, head {digest}", highlight=False)


@audit_app.command("head")
def head() -> None:
    """Print SEQ:HASH of the last record; keep it outside the database to anchor later checks."""
    seq, digest = audit.head(open_engine(get_settings().database_url))
    console.print(f"{seq}:{digest}", highlight=False, soft_wrap=True)


@audit_app.command("list")
def list_records(
    subject: str | None = typer.Option(None, "--subject", help="e.g. case:12, user:alice"),
    action: str | None = typer.Option(None, "--action", help="Action prefix, e.g. case. or auth.login"),
    after: int = typer.Option(0, "--after", help="Only records after this seq."),
    limit: int = typer.Option(100, "--limit"),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Audit records in order."""
    found = audit.records(
        open_engine(get_settings().database_url), subject=subject, action=action, after_seq=after, limit=limit
    )
    if as_json:
        write_json([r.to_dict() for r in found])
        return
    table = Table(title="audit trail")
    for column in ("seq", "time", "actor", "action", "subject", "details"):
        table.add_column(column, overflow="fold")
    for r in found:
        table.add_row(str(r.seq), r.ts[:19], r.actor, r.action, r.subject, r.details)
    console.print(table)


__all__ = ["audit_app"]
