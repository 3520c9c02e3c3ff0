"""``raqib text screen FILE``: find mentions of listed people and organisations in a text file."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from raqib.cli._common import console, open_store, write_json
from raqib.errors import InvalidInput
from raqib.screening import Screener, record_text_mentions
from raqib.text import Mention, MentionPolicy, TextScreener

text_app = typer.Typer(help="Screen free text (Arabic or English) for listed people and organisations.")


def _read(path: Path) -> str:
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidInput(f"{path}: not UTF-8 ({err.reason} at byte {err.start})") from err


def _table(title: str, mentions: tuple[Mention, ...]) -> Table:
    table = Table(title=title)
    for column in ("offsets", "text", "entity", "list ref", "score", "kind", "why"):
        table.add_column(column, overflow="fold")
    for mention in mentions:
        table.add_row(
            f"{mention.start}-{mention.end}",
            mention.text,
            f"{mention.caption} ({mention.type})",
            f"{mention.source} {mention.source_ref}",
            f"{mention.score:.3f}",
            mention.kind.value,
            mention.explanation,
        )
    return table


@text_app.command("screen")
def screen(
    file: Path = typer.Argument(..., help="UTF-8 text file to screen."),
    threshold: float | None = typer.Option(
        None, "--threshold", help="Span alert threshold (default from raqib/data/text/mention_policy.yml)."
    ),
    lang: str | None = typer.Option(None, "--lang", help="ar or en (detected from the script otherwise)."),
    lists: list[str] = typer.Option(None, "--list", help="Screen only against these lists (default: all)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Find mentions of listed people and organisations in FILE, with offsets, score and explanation."""
    text = _read(file)
    policy = MentionPolicy.packaged()
    if threshold is not None:
        policy = policy.with_threshold(threshold)
    store = open_store()
    with console.status("building the matching index ..."):
        screener = Screener.from_store(store, lists or None)
    result = TextScreener(screener, policy=policy).screen(text, lang=lang)
    if result.mentions:  # mentions (not weak ones) are alerts, so they reach a case
        record_text_mentions(store.engine, text, [m.to_dict() for m in result.mentions], screener.versions)
    if as_json:
        write_json({"file": str(file), **result.to_dict(), "list_versions": screener.list_versions()})
        return
    if not result.mentions:
        console.print(f"no mention of a listed entity in {file}", highlight=False)
    else:
        console.print(_table(f"mentions in {file}", result.mentions))
    if result.weak_mentions:
        console.print(_table("weak mentions (not alerts)", result.weak_mentions))


__all__ = ["text_app"]
