"""``raqib lists``: import, show, diff and export watchlists. External checks rely on these
commands and their ``--json`` output: keep them stable."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.table import Table

from raqib import audit
from raqib._io import atomic_text_output
from raqib.cli._common import console, err_console, open_store, write_json
from raqib.cli.users import operator
from raqib.errors import InvalidInput, RaqibError
from raqib.lists import (
    ListDiff,
    ListStore,
    ListVersion,
    bundled_list_paths,
    default_pairs,
    diff_versions,
    parse_list,
)

lists_app = typer.Typer(help="Watchlists: import, show, diff and export.", no_args_is_help=True)


def _import_one(store: ListStore, path: Path, format: str | None, list_id: str | None) -> dict[str, object]:
    parsed = parse_list(path, format)
    if list_id:
        parsed = parsed.model_copy(update={"list_id": list_id})
        for entity in parsed.entities:
            entity.source = list_id
    result = store.import_parsed(parsed, source_path=str(path))
    with store.engine.begin() as conn:
        audit.append(
            conn,
            operator().actor,
            "list.import",
            f"list:{parsed.list_id}",
            {
                "path": str(path),
                "format": parsed.format,
                "created": result.created,
                "version_id": result.version.id,
                "content_hash": result.version.content_hash,
                "entity_count": result.version.entity_count,
            },
        )
    types = Counter(e.type.value for e in parsed.entities)
    report: dict[str, object] = {
        "path": str(path),
        "list_id": parsed.list_id,
        "title": parsed.title,
        "format": parsed.format,
        "created": result.created,
        "version": result.version.to_dict(),
        "types": dict(sorted(types.items())),
    }
    if result.created and result.previous is not None:
        diff = diff_versions(store, result.previous, result.version)
        report["changes"] = {
            "added": len(diff.added),
            "removed": len(diff.removed),
            "changed": len(diff.changed),
        }
    return report


@lists_app.command("import")
def import_lists(
    paths: list[Path] = typer.Argument(None, help="List files, or folders holding one list's files."),
    format: str | None = typer.Option(None, "--format", "-f", help="Skip detection and use this format."),
    list_id: str | None = typer.Option(
        None, "--list", help="Store under this list id (national lists, FtM)."
    ),
    bundled: bool = typer.Option(False, "--bundled", help="Import the lists shipped with Raqib."),
    rescreen: bool = typer.Option(
        False, "--rescreen", help="After a new version, re-screen the customer register against what changed."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Import list files as new versions. Each file is one transaction: a bad file changes nothing."""
    if not paths and not bundled:
        raise InvalidInput("give at least one PATH to import, or --bundled")
    store = open_store()
    reports: list[dict[str, object]] = []
    failures = 0

    def run(all_paths: list[Path]) -> None:
        nonlocal failures
        for path in all_paths:
            try:
                with console.status(f"importing {path.name} ..."):
                    report = _import_one(store, path, format, list_id)
            except RaqibError as err:
                failures += 1
                reports.append({"path": str(path), "error": err.message, "code": err.code})
                err_console.print(f"[bold red]error:[/] {err.message}", highlight=False, soft_wrap=True)
                continue
            reports.append(report)
            if not as_json:
                _print_import(report)

    if bundled:
        with bundled_list_paths() as bundled_paths:
            run(bundled_paths)
    run(list(paths or []))
    if rescreen:
        _rescreen(store, reports, as_json)
    if as_json:
        write_json(reports)
    if failures:
        raise typer.Exit(2)


def _rescreen(store: ListStore, reports: list[dict[str, object]], quiet: bool) -> None:
    from raqib.screening import ScreeningJobs

    jobs = ScreeningJobs(store.engine)
    for report in reports:
        if not report.get("created") or "changes" not in report:
            continue
        version = report["version"]
        if not isinstance(version, dict):
            continue
        versions = store.versions(str(report["list_id"]))
        index = [v.id for v in versions].index(version["id"])
        if index == 0:
            continue
        with console.status(f"re-screening the register against {report['list_id']} changes ..."):
            result = jobs.delta(versions[index - 1], versions[index], workers=2)
        report["rescreen"] = result.to_dict()
        if not quiet:
            console.print(
                f"re-screened {result.customers} customers against {result.extra['entities_added']} added and "
                f"{result.extra['entities_changed']} changed entities: {result.new_alerts} new alerts, "
                f"{result.extra['alerts_marked_removed']} alerts marked removed",
                highlight=False,
            )


def _print_import(report: dict[str, object]) -> None:
    version = report["version"]
    if not isinstance(version, dict):
        raise TypeError("report without version")
    types = ", ".join(f"{n} {t}" for t, n in report["types"].items())  # type: ignore[attr-defined]
    if not report["created"]:
        console.print(
            f"[yellow]unchanged[/] {report['list_id']}: {report['path']} holds the same content as "
            f"version {version['id']} (imported {version['imported_at'][:19]}); nothing to do",
            highlight=False,
        )
        return
    line = (
        f"[green]imported[/] {report['list_id']} ({report['title']}) as version {version['id']}: "
        f"{version['entity_count']} entities ({types}), published {version['publisher_date'] or 'unknown'}"
    )
    if changes := report.get("changes"):
        line += (
            f"; since the previous version: +{changes['added']} −{changes['removed']} ~{changes['changed']}"  # type: ignore[index]
        )
    console.print(line, highlight=False)


@lists_app.command("show")
def show(
    list_id: str | None = typer.Argument(None, help="Show this list's versions."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Show the lists in the store with their versions and entity counts."""
    store = open_store()
    lists = [store.watchlist(list_id)] if list_id else store.watchlists()
    if as_json:
        write_json(
            [{"id": w.id, "title": w.title, "versions": [v.to_dict() for v in w.versions]} for w in lists]
        )
        return
    if not lists:
        console.print("No lists yet. Import one with [bold]raqib lists import PATH[/] or [bold]--bundled[/].")
        return
    if list_id:
        table = Table(title=f"{lists[0].id}: {lists[0].title}")
        for column in ("version", "published", "imported", "format", "entities", "content hash"):
            table.add_column(column)
        for v in lists[0].versions:
            table.add_row(
                str(v.id),
                v.publisher_date or "",
                v.imported_at.isoformat()[:19],
                v.format,
                str(v.entity_count),
                v.content_hash[:12],
            )
    else:
        table = Table(title="Watchlists")
        for column in ("list", "title", "versions", "latest", "published", "entities"):
            table.add_column(column)
        for w in lists:
            latest = w.latest
            table.add_row(
                w.id,
                w.title,
                str(len(w.versions)),
                str(latest.id) if latest else "",
                (latest.publisher_date or "") if latest else "",
                str(latest.entity_count) if latest else "0",
            )
    console.print(table)


def _resolve_pair(
    store: ListStore, list_id: str | None, old: int | None, new: int | None
) -> list[tuple[ListVersion, ListVersion]]:
    if old is None and new is None:
        pairs = default_pairs(store, list_id)
        if not pairs:
            raise InvalidInput("no list has two versions yet: import a newer version first")
        return pairs
    if old is not None and new is not None:
        return [(store.version(old), store.version(new))]
    # One end given: the other is its neighbour in the same list.
    given = store.version(old if old is not None else new)  # type: ignore[arg-type]
    versions = store.versions(given.list_id)
    index = [v.id for v in versions].index(given.id)
    if old is not None:
        if index + 1 >= len(versions):
            raise InvalidInput(
                f"version {old} is the latest of {given.list_id}: nothing newer to compare with"
            )
        return [(given, versions[index + 1])]
    if index == 0:
        raise InvalidInput(f"version {new} is the first of {given.list_id}: nothing older to compare with")
    return [(versions[index - 1], given)]


@lists_app.command("diff")
def diff(
    list_id: str | None = typer.Argument(
        None, help="Only this list (default: every list with two versions)."
    ),
    old: int | None = typer.Option(None, "--from", help="Older version id (see `raqib lists show LIST`)."),
    new: int | None = typer.Option(None, "--to", help="Newer version id."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """What changed between two versions: entities added, removed and changed, field by field."""
    store = open_store()
    diffs = [diff_versions(store, a, b) for a, b in _resolve_pair(store, list_id, old, new)]
    if as_json:
        write_json(
            diffs[0].to_dict()
            if len(diffs) == 1 and (list_id or old or new)
            else [d.to_dict() for d in diffs]
        )
        return
    for item in diffs:
        _print_diff(item)


def _print_diff(item: ListDiff) -> None:
    console.rule(
        f"{item.list_id}: version {item.old.id} ({item.old.publisher_date}) → {item.new.id} ({item.new.publisher_date})"
    )
    console.print(f"added {len(item.added)}, removed {len(item.removed)}, changed {len(item.changed)}")
    for label, entries, colour in (("added", item.added, "green"), ("removed", item.removed, "red")):
        for e in entries:
            console.print(f"[{colour}]{label:>8}[/] {e.entity_id}  {e.type}  {e.caption}", highlight=False)
    for change in item.changed:
        console.print(
            f"[yellow] changed[/] {change.entity.entity_id}  {change.entity.caption}", highlight=False
        )
        for field in change.changes:
            if field.added or field.removed:
                for value in field.added:
                    console.print(f"           {field.field}: [green]+[/] {_label(value)}", highlight=False)
                for value in field.removed:
                    console.print(f"           {field.field}: [red]−[/] {_label(value)}", highlight=False)
            else:
                console.print(
                    f"           {field.field}: {_label(field.before)} → {_label(field.after)}",
                    highlight=False,
                )


def _label(value: object) -> str:
    if isinstance(value, dict):
        for key in ("full", "number", "date", "country"):
            if value.get(key):
                extra = value.get("type") or value.get("kind")
                return f"{value[key]}" + (f" ({extra})" if extra else "")
        return ", ".join(f"{k}={v}" for k, v in value.items() if v)
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "..."


@lists_app.command("export")
def export(
    list_id: list[str] = typer.Option(None, "--list", help="Lists to export (default: all)."),
    version: int | None = typer.Option(None, "--version", help="A specific version id (default: latest)."),
    format: str = typer.Option(
        "ftm", "--format", help="ftm (FollowTheMoney JSON lines) or json (Raqib model)."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
) -> None:
    """Export entities as FollowTheMoney JSON lines (or Raqib's own JSON lines)."""
    if format not in {"ftm", "json"}:
        raise InvalidInput(f"unknown export format {format!r}: use ftm or json")
    store = open_store()
    versions = [store.version(version)] if version is not None else store.latest_versions(list_id or None)
    if not versions:
        raise InvalidInput("the store holds no lists yet: import one first")

    def entities():  # type: ignore[no-untyped-def]
        for v in versions:
            yield from store.entities(v.id)

    if output is None:
        import sys

        count = _write_entities(entities(), format, sys.stdout)
        _audit_export(store, versions, format, "-", count)
        return
    with atomic_text_output(output) as stream:
        count = _write_entities(entities(), format, stream)
    _audit_export(store, versions, format, str(output), count)
    err_console.print(f"wrote {count} entities to {output}")


def _audit_export(
    store: ListStore, versions: list[ListVersion], format: str, output: str, count: int
) -> None:
    with store.engine.begin() as conn:
        audit.append(
            conn,
            operator().actor,
            "list.export",
            "lists:" + ",".join(sorted({v.list_id for v in versions})),
            {"version_ids": [v.id for v in versions], "format": format, "output": output, "entities": count},
        )


def _write_entities(entities, format: str, stream) -> int:  # type: ignore[no-untyped-def]
    if format == "ftm":
        from raqib.lists.ftm import write_ftm

        return int(write_ftm(entities, stream))
    count = 0
    for entity in entities:
        stream.write(entity.model_dump_json() + "\n")
        count += 1
    return count
