"""``raqib users``: people who log in (operator commands, audited as ``cli:<os user>``)."""

from __future__ import annotations

import getpass

import typer
from rich.table import Table

from raqib.auth import Principal, Role, UserStore
from raqib.cli._common import console, write_json
from raqib.config import get_settings
from raqib.db import open_engine

users_app = typer.Typer(help="Users: create, list, disable, set a password.", no_args_is_help=True)


def operator() -> Principal:
    """Whoever runs the CLI with access to the database, by their OS account."""
    return Principal.system(getpass.getuser())


def user_store() -> UserStore:
    settings = get_settings()
    return UserStore(open_engine(settings.database_url), session_hours=settings.session_hours)


def _new_password(password: str | None) -> str:
    if password is not None:
        return password
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@users_app.command("create")
def create(
    username: str = typer.Argument(..., help="Login name (a-z, 0-9, '.', '_', '-'); never changes."),
    role: Role = typer.Option(..., "--role", help="analyst, reviewer (MLRO), admin, auditor or api_client."),
    display_name: str | None = typer.Option(None, "--name", help="Full name shown in the UI."),
    password: str | None = typer.Option(
        None, "--password", envvar="RAQIB_NEW_PASSWORD", help="Default: asked for (hidden)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Create a user (the password is hashed with argon2id, never stored)."""
    user = user_store().create(username, _new_password(password), role, operator(), display_name)
    if as_json:
        write_json(user.to_dict())
        return
    console.print(f"user [bold]{user.username}[/] created with the role {user.role.value}", highlight=False)


@users_app.command("list")
def list_users(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Every user with role, last login and whether disabled."""
    users = user_store().list()
    if as_json:
        write_json([u.to_dict() for u in users])
        return
    table = Table(title="users")
    for column in ("username", "name", "role", "created", "last login", "disabled"):
        table.add_column(column)
    for u in users:
        table.add_row(
            u.username,
            u.display_name,
            u.role.value,
            u.created_at.isoformat()[:19],
            u.last_login_at.isoformat()[:19] if u.last_login_at else "",
            u.disabled_at.isoformat()[:19] if u.disabled_at else "",
        )
    console.print(table)


@users_app.command("disable")
def disable(username: str = typer.Argument(..., help="The user to disable.")) -> None:
    """Disable a user at once: no more logins, open sessions end."""
    user = user_store().disable(username, operator())
    console.print(f"user {user.username} disabled", highlight=False)


@users_app.command("set-password")
def set_password(
    username: str = typer.Argument(...),
    password: str | None = typer.Option(None, "--password", envvar="RAQIB_NEW_PASSWORD"),
) -> None:
    """Set a new password; the user's sessions end."""
    user_store().set_password(username, _new_password(password), operator())
    console.print(f"password of {username} changed; their sessions ended", highlight=False)


__all__ = ["operator", "user_store", "users_app"]
