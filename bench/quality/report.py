"""Rich tables for the quality benchmark (the JSON file holds the same numbers and examples)."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.quality.data import WordPair


def _pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f}%"


def _mark(ok: bool | None) -> str:
    if ok is None:
        return ""
    return "[green]✓[/green]" if ok else "[red]✗[/red]"


def header(
    console: Console,
    options: argparse.Namespace,
    results: dict[str, Any],
    pair_sets: dict[str, list[WordPair]],
) -> None:
    engine = results["engine"]
    console.rule("[bold]Raqib name-matching quality benchmark")
    console.print(
        f"seed [bold]{options.seed}[/bold] · engine {engine['module']} ({engine['algorithm']})"
        f"{'' if engine['real'] else ' [yellow](stand-in)[/yellow]'} · limit {options.limit} results/query"
        f" · baseline short-list {options.shortlist} + true entity"
    )
    sizes = ", ".join(
        f"{name}: {sum(p.positive for p in pairs)}+/{sum(not p.positive for p in pairs)}-"
        for name, pairs in pair_sets.items()
    )
    console.print(f"word pairs: {sizes}")


def _system_note(results: dict[str, Any]) -> str:
    return " · ".join(
        f"{name} ≥ {info['threshold']:.3g} ({info['note']})" for name, info in results["systems"].items()
    )


def word_pairs(console: Console, results: dict[str, Any]) -> None:
    section = results["word_pairs"]
    target = results["targets"]["word_pairs"]
    systems = list(section["results"])
    table = Table(
        title=f"Word pairs (Arabic↔Latin tokens): recall at FMR ≤ {_pct(target['max_fmr'], 0)}"
        f" (target ≥ {_pct(target['recall_at_fmr'], 0)}); recall / FMR at each system's threshold",
        title_justify="left",
    )
    table.add_column("corpus")
    table.add_column("n (+/-)", justify="right")
    for name in systems:
        table.add_column(f"{name}\nrecall@FMR1%", justify="right")
        table.add_column(f"{name}\nrecall / FMR @thr", justify="right")
    corpora = [*section["sizes"], "all"]
    for corpus in corpora:
        size = section["sizes"].get(corpus)
        if size is None:
            positives = sum(s["positives"] for s in section["sizes"].values())
            negatives = sum(s["negatives"] for s in section["sizes"].values())
        else:
            positives, negatives = size["positives"], size["negatives"]
        row = [corpus, f"{positives}/{negatives}"]
        for name in systems:
            metrics = section["results"][name][corpus]
            at_fmr, at_thr = metrics["at_fmr"], metrics["at_threshold"]
            ok = None if at_fmr["recall"] is None else at_fmr["recall"] >= target["recall_at_fmr"]
            row.append(f"{_pct(at_fmr['recall'])} {_mark(ok)}")
            row.append(f"{_pct(at_thr['recall'])} / {_pct(at_thr['fmr'])}")
        table.add_row(*row, end_section=corpus == corpora[-2])
    console.print(table)
    console.print(f"[dim]thresholds: {_system_note(results)}[/dim]")


def full_names(console: Console, results: dict[str, Any], section: dict[str, Any]) -> None:
    target = results["targets"]["full_names"]
    systems = list(section["recall"])
    title = f"Full names, UN {section['list'][:10]}: recall per variation class (target ≥ {_pct(target['recall'], 0)})"
    table = Table(title=title, title_justify="left", caption="index: all Latin names, no Arabic script")
    table.add_column("class")
    table.add_column("n", justify="right")
    for name in systems:
        table.add_column(name, justify="right")
    classes = list(section["sizes"]["positive_queries"])
    for group in [*classes, "all"]:
        n = section["recall"][systems[0]].get(group, {}).get("n", 0) if systems else 0
        row = [group, str(n)]
        for name in systems:
            value = section["recall"][name].get(group, {}).get("rate")
            row.append(f"{_pct(value)} {_mark(None if value is None else value >= target['recall'])}")
        table.add_row(*row, end_section=group == classes[-1])
    console.print(table)

    negatives = Table(
        title=f"Full names, UN {section['list'][:10]}: false alerts (target ≤ {_pct(target['false_alerts'])})",
        title_justify="left",
        caption="people not listed; an alert = any result ≥ threshold",
    )
    negatives.add_column("negative group")
    negatives.add_column("n", justify="right")
    for name in systems:
        negatives.add_column(name, justify="right")
    groups = list(section["sizes"]["negative_queries"])
    for group in [*groups, "all"]:
        n = section["false_alerts"][systems[0]].get(group, {}).get("n", 0) if systems else 0
        row = [group, str(n)]
        for name in systems:
            value = section["false_alerts"][name].get(group, {}).get("rate")
            row.append(
                f"{_pct(value, 2)} {_mark(None if value is None else value <= target['false_alerts'])}"
            )
        negatives.add_row(*row, end_section=group == groups[-1])
    console.print(negatives)
    sizes = section["sizes"]
    console.print(
        f"[dim]{sizes['entities']} entities ({sizes['with_arabic']} with Arabic original script), "
        f"{sizes['index_names']} Latin index names + {sizes['weak_names']} weak aliases; "
        f"negatives dropped as too close to a listed name: "
        f"{sum(v for k, v in sizes['negatives_dropped'].items() if k.endswith('reproduces_listed'))}; "
        f"baseline short-list recall {_pct(section.get('shortlist_recall'))} (before adding the true entity)[/dim]"
    )


def summary(console: Console, results: dict[str, Any]) -> None:
    """One line per system: targets met and overall numbers."""
    console.rule("[bold]Summary")
    targets = results["targets"]
    for name in results["systems"]:
        parts: list[str] = []
        word = results.get("word_pairs", {}).get("results", {}).get(name)
        if word is not None:
            corpora = [c for c in word if c != "all"]
            met = sum(
                1
                for c in corpora
                if (word[c]["at_fmr"]["recall"] or 0) >= targets["word_pairs"]["recall_at_fmr"]
            )
            parts.append(
                f"word pairs {met}/{len(corpora)} corpora ≥95% @FMR1% (all: {_pct(word['all']['at_fmr']['recall'])})"
            )
        for section in results.get("full_names", []):
            recall = section["recall"].get(name)
            alerts = section["false_alerts"].get(name)
            if recall is None or alerts is None:
                continue
            classes = [c for c in recall if c != "all"]
            met = sum(1 for c in classes if (recall[c]["rate"] or 0) >= targets["full_names"]["recall"])
            parts.append(
                f"UN {section['list'][:10]}: {met}/{len(classes)} classes ≥98% (all {_pct(recall['all']['rate'])}),"
                f" false alerts {_pct(alerts['all']['rate'], 2)}"
                f" {_mark((alerts['all']['rate'] or 0) <= targets['full_names']['false_alerts'])}"
            )
        console.print(f"[bold]{name}[/bold]: " + "; ".join(parts))
    timings = ", ".join(f"{k} {v}s" for k, v in results["timings"].items())
    console.print(f"[dim]timings: {timings}[/dim]")
