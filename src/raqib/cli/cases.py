"""``raqib cases``: the case workflow at the command line, as a logged-in user.

Each command authenticates ``--user`` (or ``RAQIB_USER``) with the password from ``RAQIB_PASSWORD``
or a hidden prompt, then calls the same :class:`~raqib.cases.CaseWorkflow` as the API: the roles,
four-eyes and concurrency checks are identical.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from raqib.auth import Principal, Unauthenticated
from raqib.cases import CaseStatus, CaseWorkflow, Disposition
from raqib.cli._common import console, write_json
from raqib.cli.users import user_store
from raqib.config import get_settings
from raqib.db import open_engine
from raqib.errors import InvalidInput

cases_app = typer.Typer(
    help="Cases: group alerts, review, propose, approve (four-eyes).", no_args_is_help=True
)

UserOption = typer.Option(..., "--user", envvar="RAQIB_USER", help="Who acts (their password is asked).")
PasswordOption = typer.Option(
    None, "--password", envvar="RAQIB_PASSWORD", hidden=True, help="Default: asked for (hidden)."
)
JsonOption = typer.Option(False, "--json", help="Machine-readable output.")
VersionOption = typer.Option(None, "--version", help="Apply only if the case is still at this version.")


def _workflow() -> CaseWorkflow:
    settings = get_settings()
    return CaseWorkflow(
        open_engine(settings.database_url),
        sla_days=settings.case_sla_days,
        evidence_max_bytes=settings.evidence_max_bytes,
    )


def _who(username: str, password: str | None) -> Principal:
    if password is None:
        password = str(typer.prompt(f"password for {username}", hide_input=True))
    user = user_store().authenticate(username, password)
    if user is None:
        raise Unauthenticated("unknown user or wrong password")
    return user.principal


def _show(case: dict[str, Any], as_json: bool) -> None:
    if as_json:
        write_json(case)
        return
    overdue = " [bold red]OVERDUE[/]" if case["overdue"] else ""
    console.print(
        f"case [bold]{case['id']}[/] v{case['version']}: {case['title']} — {case['status']}"
        + (f" ({case['disposition']})" if case["disposition"] else "")
        + f", assignee {case['assignee'] or '-'}, due {case['due_at'][:10]}, {case['age_days']} days old"
        + overdue,
        highlight=False,
    )
    if case.get("proposed_by"):
        console.print(f"  proposed by {case['proposed_by']}: {case['reason']}", highlight=False)
    if case.get("decided_by"):
        console.print(f"  decided by {case['decided_by']}: {case['decision_note'] or ''}", highlight=False)
    for item in case.get("alerts", []):
        party = (item.get("customer") or {}).get("name") or item["customer_id"]
        entity = (item.get("entity") or {}).get("caption") or item["entity_id"]
        console.print(
            f"  alert {item['id']}: {party} ~ {entity} ({item['score']:.2f}, {item['status']})",
            highlight=False,
        )
    for item in case.get("evidence", []):
        console.print(f"  evidence {item['id']}: {item['filename']} sha256 {item['sha256']}", highlight=False)
    for item in case.get("comments", []):
        console.print(f"  {item['created_at'][:16]} {item['author']}: {item['body']}", highlight=False)


@cases_app.command("create")
def create(
    alert_ids: list[int] = typer.Option(..., "--alert", help="An alert to group (repeat the option)."),
    title: str = typer.Option(..., "--title"),
    assignee: str | None = typer.Option(None, "--assignee"),
    user: str = UserOption,
    password: str | None = PasswordOption,
    as_json: bool = JsonOption,
) -> None:
    """Group alerts into a new case."""
    _show(_workflow().create(_who(user, password), title, alert_ids, assignee), as_json)


@cases_app.command("list")
def list_cases(
    status: CaseStatus | None = typer.Option(None, "--status"),
    assignee: str | None = typer.Option(None, "--assignee"),
    overdue: bool = typer.Option(False, "--overdue", help="Only open cases past their due date."),
    limit: int = typer.Option(100, "--limit"),
    user: str = UserOption,
    password: str | None = PasswordOption,
    as_json: bool = JsonOption,
) -> None:
    """Cases, the earliest due first."""
    rows = _workflow().list_cases(
        _who(user, password),
        status=status.value if status else None,
        assignee=assignee,
        overdue=True if overdue else None,
        limit=limit,
    )
    if as_json:
        write_json(rows)
        return
    table = Table(title="cases")
    for column in ("id", "title", "status", "disposition", "assignee", "due", "age (days)", "overdue"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["title"],
            r["status"],
            r["disposition"] or "",
            r["assignee"] or "",
            r["due_at"][:10],
            str(r["age_days"]),
            "yes" if r["overdue"] else "",
        )
    console.print(table)


@cases_app.command("show")
def show(
    case_id: int, user: str = UserOption, password: str | None = PasswordOption, as_json: bool = JsonOption
) -> None:
    """One case with its alerts, parties, evidence and comments."""
    _show(_workflow().get(_who(user, password), case_id), as_json)


@cases_app.command("review")
def review(
    case_id: int,
    version: int | None = VersionOption,
    user: str = UserOption,
    password: str | None = PasswordOption,
    as_json: bool = JsonOption,
) -> None:
    """Start (or resume after a return) the review."""
    _show(_workflow().start_review(_who(user, password), case_id, version), as_json)


@cases_app.command("assign")
def assign(
    case_id: int,
    assignee: str = typer.Argument(..., help="Username, or '-' to unassign."),
    user: str = UserOption,
    password: str | None = PasswordOption,
    as_json: bool = JsonOption,
) -> None:
    """Assign the case to a user."""
    target = None if assignee == "-" else assignee
    _show(_workflow().assign(_who(user, password), case_id, target), as_json)


@cases_app.command("comment")
def comment(
    case_id: int,
    body: str = typer.Argument(...),
    user: str = UserOption,
    password: str | None = PasswordOption,
    as_json: bool = JsonOption,
) -> None:
    """Add a comment."""
    _show(_workflow().comment(_who(user, password), case_id, body), as_json)


@cases_app.command("attach")
def attach(
    case_id: int,
    path: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    user: str = UserOption,
    password: str | None = PasswordOption,
    as_json: bool = JsonOption,
) -> None:
    """Attach an evidence file (its SHA-256 is recorded)."""
    workflow = _workflow()
    if path.stat().st_size > workflow.evidence_max_bytes:
        raise InvalidInput(f"{path.name} is larger than {workflow.evidence_max_bytes} bytes")
    media_type = mimetypes.guess_type(path.name)[0]
    _show(workflow.attach(_who(user, password), case_id, path.name, path.read_bytes(), media_type), as_json)


@cases_app.command("evidence")
def evidence(
    case_id: int,
    evidence_id: int,
    out: Path = typer.Option(..., "--out", help="Where to write the file."),
    user: str = UserOption,
    password: str | None = PasswordOption,
) -> None:
    """Save an evidence file after checking its SHA-256."""
    item = _workflow().evidence(_who(user, password), case_id, evidence_id)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(item.content)
    partial.replace(out)
    console.print(f"{out} ({item.size} bytes, sha256 {item.sha256} verified)", highlight=False)


@cases_app.command("propose")
def propose(
    case_id: int,
    disposition: Disposition = typer.Option(..., "--disposition"),
    reason: str = typer.Option(..., "--reason"),
    version: int | None = VersionOption,
    user: str = UserOption,
    password: str | None = PasswordOption,
    as_json: bool = JsonOption,
) -> None:
    """Propose a disposition; another reviewer must approve it."""
    _show(_workflow().propose(_who(user, password), case_id, disposition, reason, version), as_json)


@cases_app.command("approve")
def approve(
    case_id: int,
    note: str | None = typer.Option(None, "--note"),
    version: int | None = VersionOption,
    user: str = UserOption,
    password: str | None = PasswordOption,
    as_json: bool = JsonOption,
) -> None:
    """Approve the proposed disposition (never your own proposal)."""
    _show(_workflow().approve(_who(user, password), case_id, note, version), as_json)


@cases_app.command("return")
def return_case(
    case_id: int,
    reason: str = typer.Option(..., "--reason"),
    version: int | None = VersionOption,
    user: str = UserOption,
    password: str | None = PasswordOption,
    as_json: bool = JsonOption,
) -> None:
    """Send the proposal back to the analyst."""
    _show(_workflow().return_case(_who(user, password), case_id, reason, version), as_json)


__all__ = ["cases_app"]
