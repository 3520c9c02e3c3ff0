"""``raqib serve`` and ``raqib keys``: run the API and manage its keys."""

from __future__ import annotations

import typer
from rich.table import Table

from raqib.auth import ApiKeyStore, Role
from raqib.cli._common import console, write_json
from raqib.config import get_settings
from raqib.db import open_engine
from raqib.errors import InvalidInput

keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)


def _keys() -> ApiKeyStore:
    return ApiKeyStore(open_engine(get_settings().database_url))


def _show_secret(name: str, role: str, secret: str) -> None:
    console.print(f"API key for [bold]{name}[/] (role {role}) — shown once, store it now:", highlight=False)
    console.print(secret, style="bold green", highlight=False, soft_wrap=True)


@keys_app.command("create")
def create(
    name: str = typer.Argument(..., help="Who or what uses the key."),
    role: Role = typer.Option(Role.API_CLIENT, "--role", help="The key's role."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Create an API key; its secret is printed once and never stored."""
    key, secret = _keys().create(name, role)
    if as_json:
        write_json({**key.to_dict(), "secret": secret})
        return
    _show_secret(key.name, key.role.value, secret)


@keys_app.command("bootstrap")
def bootstrap() -> None:
    """Create a first admin key when no active admin key exists (what `make run` calls)."""
    keys = _keys()
    if keys.count_active(Role.ADMIN):
        console.print("an admin API key already exists (see `raqib keys list`); none created")
        return
    key, secret = keys.create("first admin", Role.ADMIN)
    _show_secret(key.name, key.role.value, secret)


@keys_app.command("list")
def list_keys(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """List API keys (never their secrets)."""
    keys = _keys().list()
    if as_json:
        write_json([k.to_dict() for k in keys])
        return
    table = Table(title="API keys")
    for column in ("id", "name", "prefix", "role", "created", "last used", "revoked"):
        table.add_column(column)
    for k in keys:
        table.add_row(
            str(k.id),
            k.name,
            k.prefix,
            k.role.value,
            k.created_at.isoformat()[:19],
            k.last_used_at.isoformat()[:19] if k.last_used_at else "",
            k.revoked_at.isoformat()[:19] if k.revoked_at else "",
        )
    console.print(table)


@keys_app.command("revoke")
def revoke(key_id: int = typer.Argument(..., help="The key's id (see `raqib keys list`).")) -> None:
    """Revoke an API key at once."""
    key = _keys().revoke(key_id)
    console.print(f"revoked key {key.id} ({key.name})")


def serve(
    host: str | None = typer.Option(
        None, "--host", help="Address to listen on (default RAQIB_HOST, 127.0.0.1)."
    ),
    port: int | None = typer.Option(None, "--port", help="Port (default RAQIB_PORT, 8000)."),
    workers: int = typer.Option(
        1, "--workers", help="Worker processes (each holds its own screening index)."
    ),
) -> None:
    """Serve the REST API (OpenAPI at /docs)."""
    import uvicorn

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    if workers < 1:
        raise InvalidInput("--workers must be at least 1")
    open_engine(settings.database_url)  # migrate once, before workers start, and fail early on a bad URL
    console.print(f"Raqib API on http://{host}:{port} (OpenAPI: http://{host}:{port}/docs); Ctrl-C stops it")
    uvicorn.run(
        "raqib.api.app:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="warning",
        # Longer than the usual load balancer idle timeout (60 s): a server that closes an idle keep-alive
        # connection first races the client's next request on it (a ReadError under load).
        timeout_keep_alive=65,
    )


__all__ = ["keys_app", "serve"]
