"""What every command group shares: consoles, the store, JSON output."""

from __future__ import annotations

import gc
import json
import sys
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from raqib.config import Settings, get_settings
from raqib.db import open_engine
from raqib.lists.store import ListStore

console = Console()
err_console = Console(stderr=True)


def open_store(settings: Settings | None = None) -> ListStore:
    settings = settings or get_settings()
    return ListStore(open_engine(settings.database_url))


def settle_heap() -> None:
    """Move everything built so far (the matching index: ~850,000 long-lived objects without reference
    cycles) out of the cyclic garbage collector's reach: each full collection re-scanned them (0.6 s
    once every few thousand screened names). The CLI process is the command's own, so this is its call
    to make; the library never does it to its host."""
    gc.freeze()


def progress_bar() -> Progress:
    """The progress bar of every long command, on stderr so that stdout stays machine-readable."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )


def write_json(value: Any) -> None:
    """Machine output: plain JSON on stdout, UTF-8, no colour or wrapping."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


__all__ = ["console", "err_console", "open_store", "progress_bar", "write_json"]
