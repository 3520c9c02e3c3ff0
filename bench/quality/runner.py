"""``python -m bench.quality``: run the name-matching quality benchmark and report it."""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from bench.quality import report
from bench.quality.baselines import (
    Nomenklatura,
    RapidfuzzJaroWinkler,
    Raqib,
    ScreenQuery,
    System,
    build_shortlists,
    load_engine,
)
from bench.quality.data import CORPORA, UN_LATEST, WordPair, build_lexicon, load_un, read_pairs, sample
from bench.quality.fullnames import negative_queries, positive_queries, select_classes
from bench.quality.metrics import at_threshold, calibrated_threshold, rate, recall_at_fmr
from bench.quality.negatives import word_pair_negatives

DEFAULT_SEED = 20260227
SYSTEMS = ("raqib", "rapidfuzz-JW", "logic-v2", "logic-v1")
WORD_PAIR_TARGET = {"recall_at_fmr": 0.95, "max_fmr": 0.01}
FULL_NAME_TARGET = {"recall": 0.98, "false_alerts": 0.005}
MAX_EXAMPLES = 15


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__)
    parser.add_argument("--tasks", default="word_pairs,full_names", help="comma list: word_pairs, full_names")
    parser.add_argument("--corpora", default=",".join(CORPORA), help="comma list of word-pair corpora")
    parser.add_argument("--classes", default="", help="comma list of variation classes (default: all)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma list of: {', '.join(SYSTEMS)}")
    parser.add_argument(
        "--skip-nomenklatura", action="store_true", help="drop the slow logic-v1/v2 baselines"
    )
    parser.add_argument("--pairs", type=int, default=5000, help="positives (and negatives) per corpus")
    parser.add_argument("--full-pairs", action="store_true", help="use every positive pair of each corpus")
    parser.add_argument("--negatives", type=int, default=3200, help="about how many full-name negatives")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--un", type=Path, action="append", help=f"UN list XML (repeatable; default {UN_LATEST})"
    )
    parser.add_argument("--shortlist", type=int, default=50, help="baseline short-list size per query")
    parser.add_argument("--limit", type=int, default=10, help="results kept per query (all systems)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engine", choices=("auto", "raqib", "standin"), default="auto")
    parser.add_argument("--out", type=Path, default=Path("bench/out/quality.json"))
    return parser.parse_args(argv)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    console = Console(width=160)
    started = time.perf_counter()
    results = run(options, console)
    results["elapsed_seconds"] = round(time.perf_counter() - started, 1)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    temporary = options.out.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    temporary.replace(options.out)
    report.summary(console, results)
    console.print(f"[dim]JSON written to {options.out} in {results['elapsed_seconds']} s[/dim]")
    return 0


def run(options: argparse.Namespace, console: Console) -> dict[str, Any]:
    tasks = set(_split(options.tasks))
    wanted = [
        s for s in _split(options.systems) if not (options.skip_nomenklatura and s.startswith("logic-"))
    ]
    engine, real = load_engine(options.engine)
    if not real:
        console.print(
            "[bold yellow]raqib.matching is not available: using the bench stand-in engine.[/bold yellow]"
        )

    corpora = {name: read_pairs(CORPORA[name], name) for name in CORPORA}
    lexicon = build_lexicon(corpora.values())
    pair_sets = _word_pair_sets(options, corpora, lexicon)
    pooled_negatives = [p for pairs in pair_sets.values() for p in pairs if not p.positive]
    rapidfuzz_calibration = RapidfuzzJaroWinkler([], 0.0, "")
    rf_scores = rapidfuzz_calibration.score_pairs([(p.arabic, p.latin) for p in pooled_negatives])
    rf_threshold = round(calibrated_threshold(rf_scores, WORD_PAIR_TARGET["max_fmr"]), 4)

    results: dict[str, Any] = {
        "seed": options.seed,
        "engine": {"module": engine.__name__, "real": real, "algorithm": getattr(engine, "ALGORITHM", None)},
        "targets": {"word_pairs": WORD_PAIR_TARGET, "full_names": FULL_NAME_TARGET},
        "options": {k: str(v) for k, v in vars(options).items()},
        "systems": {},
        "timings": {},
    }
    report.header(console, options, results, pair_sets)

    if "word_pairs" in tasks:
        systems = _systems(wanted, engine, real, [], options.workers, rf_threshold)
        results["systems"] = {s.name: {"threshold": s.threshold, "note": s.threshold_note} for s in systems}
        results["word_pairs"] = _run_word_pairs(systems, pair_sets, results["timings"], console)
        report.word_pairs(console, results)
    if "full_names" in tasks:
        results["full_names"] = []
        for path in options.un or [UN_LATEST]:
            list_date, entities = load_un(path)
            systems = _systems(wanted, engine, real, entities, options.workers, rf_threshold)
            results["systems"] = {
                s.name: {"threshold": s.threshold, "note": s.threshold_note} for s in systems
            }
            token_pool = [p for pairs in corpora.values() for p in pairs]
            section = _run_full_names(
                options, systems, entities, token_pool, lexicon, results["timings"], console
            )
            section.update(list=list_date, path=str(path))
            results["full_names"].append(section)
            report.full_names(console, results, section)
    return results


def _systems(
    wanted: Sequence[str], engine: Any, real: bool, entities: Sequence[Any], workers: int, rf_threshold: float
) -> list[System]:
    systems: list[System] = []
    for name in wanted:
        if name == "raqib":
            systems.append(Raqib(engine, real, entities, workers))
        elif name == "rapidfuzz-JW":
            note = "calibrated: lowest threshold with FMR <= 1% on all word-pair negatives"
            systems.append(RapidfuzzJaroWinkler(entities, rf_threshold, note))
        elif name in {"logic-v1", "logic-v2"}:
            systems.append(Nomenklatura(name, entities, workers))
        else:
            raise SystemExit(f"unknown system {name!r}; known: {', '.join(SYSTEMS)}")
    return systems


def _word_pair_sets(
    options: argparse.Namespace, corpora: dict[str, list[WordPair]], lexicon: Any
) -> dict[str, list[WordPair]]:
    sets: dict[str, list[WordPair]] = {}
    for name in _split(options.corpora):
        if name not in corpora:
            raise SystemExit(f"unknown corpus {name!r}; known: {', '.join(corpora)}")
        rng = random.Random(f"{options.seed}:word_pairs:{name}")
        size = None if options.full_pairs else options.pairs
        positives = sample(corpora[name], size, rng)
        vocabulary = sorted({p.latin for p in corpora[name]})
        negatives = word_pair_negatives(positives, vocabulary, lexicon, len(positives), rng)
        sets[name] = positives + negatives
    return sets


def _run_word_pairs(
    systems: Sequence[System],
    pair_sets: dict[str, list[WordPair]],
    timings: dict[str, float],
    console: Console,
) -> dict[str, Any]:
    out: dict[str, Any] = {"sizes": {}, "results": {}}
    for corpus, pairs in pair_sets.items():
        out["sizes"][corpus] = {
            "positives": sum(p.positive for p in pairs),
            "negatives": sum(not p.positive for p in pairs),
        }
    for system in systems:
        with console.status(f"word pairs: {system.name}"):
            started = time.perf_counter()
            per_corpus: dict[str, Any] = {}
            pooled_pos: list[float] = []
            pooled_neg: list[float] = []
            for corpus, pairs in pair_sets.items():
                scores = system.score_pairs([(p.arabic, p.latin) for p in pairs])
                positives = [s for s, p in zip(scores, pairs, strict=True) if p.positive]
                negatives = [s for s, p in zip(scores, pairs, strict=True) if not p.positive]
                pooled_pos += positives
                pooled_neg += negatives
                per_corpus[corpus] = _pair_metrics(system, positives, negatives, pairs, scores)
            per_corpus["all"] = {
                "at_threshold": at_threshold(pooled_pos, pooled_neg, system.threshold),
                "at_fmr": recall_at_fmr(pooled_pos, pooled_neg, WORD_PAIR_TARGET["max_fmr"]),
            }
            out["results"][system.name] = per_corpus
            timings[f"word_pairs:{system.name}"] = round(time.perf_counter() - started, 1)
    return out


def _pair_metrics(
    system: System, positives: list[float], negatives: list[float], pairs: list[WordPair], scores: list[float]
) -> dict[str, Any]:
    by_kind: dict[str, list[bool]] = {}
    for pair, value in zip(pairs, scores, strict=True):
        if not pair.positive:
            by_kind.setdefault(pair.kind, []).append(value >= system.threshold)
    misses = [
        {"arabic": p.arabic, "latin": p.latin, "score": round(s, 3)}
        for p, s in zip(pairs, scores, strict=True)
        if p.positive and s < system.threshold
    ][:MAX_EXAMPLES]
    false_matches = [
        {"arabic": p.arabic, "latin": p.latin, "kind": p.kind, "score": round(s, 3)}
        for p, s in zip(pairs, scores, strict=True)
        if not p.positive and s >= system.threshold
    ][:MAX_EXAMPLES]
    return {
        "at_threshold": at_threshold(positives, negatives, system.threshold),
        "at_fmr": recall_at_fmr(positives, negatives, WORD_PAIR_TARGET["max_fmr"]),
        "fmr_by_kind": {kind: rate(flags) for kind, flags in sorted(by_kind.items())},
        "examples": {"misses": misses, "false_matches": false_matches},
    }


def _run_full_names(
    options: argparse.Namespace,
    systems: Sequence[System],
    entities: Sequence[Any],
    token_pool: Sequence[WordPair],
    lexicon: Any,
    timings: dict[str, float],
    console: Console,
) -> dict[str, Any]:
    classes = select_classes(_split(options.classes))
    positives = positive_queries(entities, classes, options.seed)
    negatives, dropped = negative_queries(entities, token_pool, lexicon, options.negatives, options.seed)
    queries: list[ScreenQuery] = [q for group in (*positives.values(), *negatives.values()) for q in group]
    section: dict[str, Any] = {
        "sizes": {
            "entities": len(entities),
            "with_arabic": sum(1 for e in entities if e.arabic_names),
            "index_names": sum(len(e.latin_names) for e in entities),
            "weak_names": sum(len(e.weak_names) for e in entities),
            "positive_queries": {name: len(group) for name, group in positives.items()},
            "negative_queries": {name: len(group) for name, group in negatives.items()},
            "negatives_dropped": dropped,
        },
        "recall": {},
        "false_alerts": {},
        "examples": {},
    }
    shortlists: list[list[int]] = [[] for _ in queries]
    if any(not isinstance(system, Raqib) for system in systems):
        with console.status("building baseline short-lists"):
            started = time.perf_counter()
            shortlists = build_shortlists(queries, entities, options.shortlist, options.workers)
            timings["full_names:shortlists"] = round(time.perf_counter() - started, 1)
        section["shortlist_recall"] = rate(
            [
                q.true_id in {entities[i].id for i in s[: options.shortlist]}
                for q, s in zip(queries, shortlists, strict=True)
                if q.true_id
            ]
        )
    for system in systems:
        with console.status(f"full names: {system.name} ({len(queries)} queries)"):
            started = time.perf_counter()
            hits = system.screen(queries, shortlists, options.limit)
            timings[f"full_names:{system.name}"] = round(time.perf_counter() - started, 1)
        (
            section["recall"][system.name],
            section["false_alerts"][system.name],
            section["examples"][system.name],
        ) = _screen_metrics(queries, hits)
    return section


def _screen_metrics(
    queries: Sequence[ScreenQuery], hits: Sequence[Sequence[tuple[str, float]]]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    recall: dict[str, list[bool]] = {}
    alerts: dict[str, list[bool]] = {}
    examples: dict[str, list[dict[str, Any]]] = {}
    for query, found in zip(queries, hits, strict=True):
        if query.true_id is not None:
            ok = any(entity_id == query.true_id for entity_id, _ in found)
            recall.setdefault(query.group, []).append(ok)
            if not ok:
                top = found[0] if found else None
                examples.setdefault(query.group, []).append(
                    {"query": query.text, "true_id": query.true_id, "from": query.source, "top": top}
                )
        else:
            alerted = bool(found)
            alerts.setdefault(query.group, []).append(alerted)
            if alerted:
                examples.setdefault(query.group, []).append(
                    {"query": query.text, "hits": [(e, round(s, 3)) for e, s in found[:3]]}
                )

    def summarise(groups: dict[str, list[bool]]) -> dict[str, Any]:
        out: dict[str, Any] = {
            name: {"n": len(flags), "hits": sum(flags), "rate": rate(flags)} for name, flags in groups.items()
        }
        every = [flag for flags in groups.values() for flag in flags]
        out["all"] = {"n": len(every), "hits": sum(every), "rate": rate(every)}
        return out

    trimmed = {group: items[:MAX_EXAMPLES] for group, items in examples.items()}
    return summarise(recall), summarise(alerts), trimmed
