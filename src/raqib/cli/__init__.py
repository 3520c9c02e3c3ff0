"""The ``raqib`` command line.

Every command group lives in its own module and registers on :data:`app`. Errors a user can cause
are :class:`~raqib.errors.RaqibError`: :func:`main` prints their message and exits with their code;
a traceback appears only with ``--debug`` (or ``RAQIB_DEBUG=1``).
"""

from __future__ import annotations

import sys

import typer

from raqib.cli._common import err_console
from raqib.cli.audit import audit_app
from raqib.cli.cases import cases_app
from raqib.cli.jobs import alerts_app, allow_app, customers_app, jobs_app
from raqib.cli.lists import lists_app
from raqib.cli.monitor import monitor_app
from raqib.cli.payments import payments_app
from raqib.cli.reports import reports_app
from raqib.cli.screening import match, screen
from raqib.cli.service import keys_app, serve
from raqib.cli.text import text_app
from raqib.cli.users import users_app
from raqib.config import get_settings
from raqib.errors import RaqibError

app = typer.Typer(
    name="raqib",
    help="Raqib (رقيب): watchlists, screening and counter-terrorist-financing tools.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(lists_app, name="lists")
app.command("match")(match)
app.command("screen")(screen)
app.command("serve")(serve)
app.add_typer(keys_app, name="keys")
app.add_typer(customers_app, name="customers")
app.add_typer(jobs_app, name="jobs")
app.add_typer(alerts_app, name="alerts")
app.add_typer(allow_app, name="allow")
app.add_typer(cases_app, name="cases")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(reports_app, name="reports")
app.add_typer(monitor_app, name="monitor")
app.add_typer(payments_app, name="payments")
app.add_typer(text_app, name="text")


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    """Raqib (رقيب): watchlists, screening and counter-terrorist-financing tools."""


def main() -> None:
    """Console-script entry point: run the app and turn Raqib errors into messages and exit codes."""
    debug = "--debug" in sys.argv[1:]
    try:
        debug = debug or get_settings().debug
        app()
    except RaqibError as err:
        if debug:
            raise
        err_console.print(f"[bold red]error:[/] {err.message}", highlight=False, soft_wrap=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)


__all__ = ["app", "main"]
