"""``raqib match`` and ``raqib screen``: the name-matching engine from the command line.

The column contracts here are relied on by later work and by external evaluations:
- ``raqib match --pairs IN.csv --out OUT.csv``: input columns ``left,right`` (others kept), adds ``score``.
- ``raqib screen --input IN.csv --output OUT.csv``: input ``id,name`` and optional ``dob,country,type``;
  one output row per hit at or above the threshold:
  ``query_id,entity_id,source,source_ref,score,matched_name,explanation``.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.table import Table

from raqib._io import atomic_text_output
from raqib.cli._common import console, err_console, open_store, progress_bar, settle_heap, write_json
from raqib.errors import InvalidInput, RaqibError
from raqib.matching import ALGORITHM, DEFAULT_THRESHOLD, match_names
from raqib.screening import Screener, make_query

SCREEN_COLUMNS = ["query_id", "entity_id", "source", "source_ref", "score", "matched_name", "explanation"]
BATCH = 2000


def read_csv(path: Path, required: list[str]) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Open a UTF-8 CSV with a header; check required columns; yield (line number, row)."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    stream = path.open(encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(stream)
        header = reader.fieldnames or []
    except UnicodeDecodeError as err:
        stream.close()
        raise InvalidInput(f"{path}: not UTF-8 ({err.reason} at byte {err.start})") from err
    missing = [c for c in required if c not in header]
    if missing:
        stream.close()
        raise InvalidInput(
            f"{path}: missing column(s) {', '.join(missing)}; the header is: {', '.join(header) or '(empty file)'}"
        )

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        with stream:
            try:
                for row in reader:
                    if None in row:
                        raise InvalidInput(f"{path}, line {reader.line_num}: more fields than the header has")
                    yield reader.line_num, {k: (v or "") for k, v in row.items()}
            except UnicodeDecodeError as err:
                raise InvalidInput(f"{path}, near line {reader.line_num}: not UTF-8 ({err.reason})") from err
            except csv.Error as err:
                raise InvalidInput(f"{path}, line {reader.line_num}: {err}") from err

    return list(header), rows()


def match(
    left: str | None = typer.Argument(None, help="First name."),
    right: str | None = typer.Argument(None, help="Second name."),
    pairs: Path | None = typer.Option(None, "--pairs", help="CSV with columns left,right (others kept)."),
    out: Path | None = typer.Option(None, "--out", help="Where to write the scored CSV (with --pairs)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Score two names (or every pair in a CSV) with the matching engine, with the explanation."""
    if pairs is not None:
        if out is None:
            raise InvalidInput("--pairs needs --out OUT.csv")
        _match_pairs(pairs, out)
        return
    if not left or not right:
        raise InvalidInput('give two names: raqib match "NAME A" "NAME B" (or --pairs IN.csv --out OUT.csv)')
    result = match_names(left, right)
    if as_json:
        write_json({"left": left, "right": right, **result.to_dict()})
        return
    console.print(f"score [bold]{result.score:.3f}[/] ({ALGORITHM}; alert threshold {DEFAULT_THRESHOLD})")
    console.print(result.explanation(), highlight=False)


def _match_pairs(pairs: Path, out: Path) -> None:
    header, rows = read_csv(pairs, ["left", "right"])
    count = 0
    with atomic_text_output(out) as stream, progress_bar() as progress:
        task = progress.add_task("scoring pairs", total=None)
        writer = csv.DictWriter(stream, fieldnames=[*header, "score"])
        writer.writeheader()
        for _line, row in rows:
            row["score"] = (
                f"{match_names(row['left'], row['right']).score:.4f}" if row["left"] and row["right"] else ""
            )
            writer.writerow(row)
            count += 1
            progress.advance(task)
    err_console.print(f"scored {count} pairs into {out}")


def screen(
    name: str | None = typer.Argument(None, help="Name to screen (any script)."),
    dob: str | None = typer.Option(None, "--dob", help="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD."),
    country: str | None = typer.Option(None, "--country", help="Nationality or country (name or ISO code)."),
    type: str | None = typer.Option(None, "--type", help="person, organization, vessel or aircraft."),
    input: Path | None = typer.Option(None, "--input", help="CSV with columns id,name[,dob,country,type]."),
    output: Path | None = typer.Option(None, "--output", help="Where to write hits (with --input)."),
    threshold: float | None = typer.Option(
        None, "--threshold", help=f"Alert threshold (default {DEFAULT_THRESHOLD})."
    ),
    top: int = typer.Option(10, "--top", "--limit", help="At most this many hits per name."),
    lists: list[str] = typer.Option(None, "--list", help="Screen only against these lists (default: all)."),
    workers: int = typer.Option(
        min(2, os.cpu_count() or 1), "--workers", help="Processes for batch screening."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Screen one name, or a CSV of names, against the latest version of the lists in the store."""
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise InvalidInput("--threshold must be between 0 and 1")
    if top < 1:
        raise InvalidInput("--top must be at least 1")
    if input is None and not name:
        raise InvalidInput("give a NAME to screen, or --input IN.csv --output OUT.csv")
    if input is not None and output is None:
        raise InvalidInput("--input needs --output OUT.csv")
    # Validate what we can before the (slower) index build.
    query = make_query(name, dob=dob, country=country, type=type) if input is None and name else None
    header_rows = read_csv(input, ["id", "name"]) if input is not None else None
    store = open_store()
    with console.status("building the matching index ..."):
        screener = Screener.from_store(store, lists or None)
    settle_heap()
    if query is not None:
        hits = screener.screen(query, threshold=threshold, limit=top)
        if as_json:
            write_json(
                {
                    "query": {"name": name, "dob": dob, "country": country, "type": type},
                    "algorithm": ALGORITHM,
                    "threshold": DEFAULT_THRESHOLD if threshold is None else threshold,
                    "list_versions": screener.list_versions(),
                    "hits": [h.to_dict() for h in hits],
                }
            )
            return
        _print_hits(name or "", hits)
        return
    if header_rows is not None and output is not None:
        _screen_file(screener, header_rows[1], output, threshold, top, workers, input.name)


def _print_hits(name: str, hits: list) -> None:  # type: ignore[type-arg]
    if not hits:
        console.print(f"no hit for {name!r} at or above the threshold", highlight=False)
        return
    table = Table(title=f"hits for {name}")
    for column in ("score", "entity", "list ref", "matched name", "why"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        table.add_row(
            f"{hit.score:.3f}",
            f"{hit.entity.caption} ({hit.entity.type})",
            f"{hit.entity.source} {hit.entity.source_ref}",
            hit.result.matched_name,
            hit.result.explanation(),
        )
    console.print(table)


def _screen_file(
    screener: Screener,
    rows: Iterator[tuple[int, dict[str, str]]],
    output: Path,
    threshold: float | None,
    top: int,
    workers: int,
    input_name: str,
) -> None:
    total_rows = total_hits = 0
    with atomic_text_output(output) as stream, progress_bar() as progress:
        task = progress.add_task("screening", total=None)
        writer = csv.writer(stream)
        writer.writerow(SCREEN_COLUMNS)
        batch: list[tuple[str, object]] = []

        def flush() -> None:
            nonlocal total_hits
            results = screener.screen_many(
                [q for _, q in batch], threshold=threshold, limit=top, workers=workers
            )
            for (query_id, _), hits in zip(batch, results, strict=True):
                for hit in hits:
                    writer.writerow(
                        [
                            query_id,
                            hit.entity.entity_id,
                            hit.entity.source,
                            hit.entity.source_ref,
                            f"{hit.score:.4f}",
                            hit.result.matched_name,
                            hit.result.explanation(),
                        ]
                    )
                    total_hits += 1
            progress.advance(task, len(batch))
            batch.clear()

        for line, row in rows:
            try:
                query = make_query(
                    row["name"],
                    dob=row.get("dob") or None,
                    country=row.get("country") or None,
                    type=row.get("type") or None,
                )
            except RaqibError as err:
                raise InvalidInput(f"{input_name}, line {line}: {err.message}") from err
            batch.append((row["id"], query))
            total_rows += 1
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
    err_console.print(f"screened {total_rows} names: {total_hits} hits written to {output}")


__all__ = ["match", "screen"]
