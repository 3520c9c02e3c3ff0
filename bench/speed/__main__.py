"""bench/speed: how fast raqib-v1 screens against UN 2026 + OFAC 2021, beside a brute-force baseline.

Run: ``make bench-speed`` (or ``python -m bench.speed [--batch N] [--latency N] [--brute N]``).
Reads the lists from ../shared/data; prints a table and writes bench/out/speed.json.

Measured, on this machine, in one run:
- index build time (entities already parsed; parsing is reported separately),
- batch throughput (names/s) with ``MatchIndex.search_many(workers=2)`` over synthetic customers,
- single-query latency p50/p99 in process (one query at a time, warm index),
- peak memory (max RSS of the process that built the index and ran the single queries),
- the brute-force baseline: the same scorer applied to every candidate (no index), on a sample.
Targets (issue 3): >= 20,000 names/s batch, p99 <= 10 ms, build <= 10 s, <= 500 MB.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.synthetic import SHARED, CustomerGenerator
from raqib.lists import parse_list
from raqib.matching import ALGORITHM, DEFAULT_THRESHOLD, MatchIndex, Query, score
from raqib.screening import candidate_from_entity

OUT = Path(__file__).resolve().parent.parent / "out"
LISTS = [SHARED / "lists" / "un" / "un_consolidated_2026-02-27.xml", SHARED / "lists" / "ofac" / "2021-07"]
TARGETS = {"batch": 20000.0, "p99_ms": 10.0, "build_s": 10.0, "memory_mb": 500.0}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def queries_for(count: int, seed: int, list_names: list[str]) -> list[Query]:
    """Synthetic customers, with 2% of names taken from the lists so that hits are exercised too."""
    rng = random.Random(seed)
    generator = CustomerGenerator(seed)
    queries = []
    for customer in generator.customers(count):
        name = rng.choice(list_names) if rng.random() < 0.02 else customer.name
        queries.append(Query(name=name, birth_date=customer.dob, country=customer.country))
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batch", type=int, default=100_000, help="names in the batch run")
    parser.add_argument("--latency", type=int, default=3000, help="single queries timed one by one")
    parser.add_argument("--brute", type=int, default=50, help="queries for the brute-force baseline")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    console = Console()

    started = time.perf_counter()
    entities = [e for path in LISTS for e in parse_list(path).entities]
    parse_s = time.perf_counter() - started
    candidates = [candidate_from_entity(e) for e in entities]
    name_count = sum(len(c.names) for c in candidates)

    started = time.perf_counter()
    index = MatchIndex(candidates)
    build_s = time.perf_counter() - started
    memory_after_build = peak_mb()
    gc.freeze()  # as raqib serve and the CLI do once the index is built (cli._common.settle_heap)

    list_names = [n for c in candidates for n in c.names]
    single = queries_for(args.latency, 1, list_names)
    for query in single[:200]:  # warm-up: caches, first-call costs
        index.search(query, threshold=DEFAULT_THRESHOLD)
    latencies = []
    for query in single:
        t0 = time.perf_counter()
        index.search(query, threshold=DEFAULT_THRESHOLD)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    memory = peak_mb()

    batch = queries_for(args.batch, 2, list_names)
    started = time.perf_counter()
    results = index.search_many(batch, threshold=DEFAULT_THRESHOLD, limit=10, workers=args.workers)
    batch_s = time.perf_counter() - started
    throughput = len(batch) / batch_s
    hits = sum(1 for r in results if r)

    brute = single[: args.brute]
    brute_lat = []
    for query in brute:
        t0 = time.perf_counter()
        scored = [score(query, c) for c in candidates]
        _ = [r for r in scored if r.score >= DEFAULT_THRESHOLD]
        brute_lat.append((time.perf_counter() - t0) * 1000)
    brute_lat.sort()
    brute_p50 = statistics.median(brute_lat)
    brute_rate = args.workers * 1000 / statistics.mean(brute_lat)  # ideal scaling over workers

    table = Table(
        title=f"bench/speed — {ALGORITHM}, {len(candidates)} entities / {name_count} names (UN 2026 + OFAC 2021)"
    )
    for column in ("metric", "raqib index", "brute force", "target", "met"):
        table.add_column(column)
    ok = {
        "build": build_s <= TARGETS["build_s"],
        "batch": throughput >= TARGETS["batch"],
        "p99": p99 <= TARGETS["p99_ms"],
        "memory": memory <= TARGETS["memory_mb"],
    }
    mark = {True: "[green]✓[/]", False: "[red]✗[/]"}
    table.add_row("index build (s)", f"{build_s:.2f}", "0 (no index)", "≤ 10", mark[ok["build"]])
    table.add_row(
        f"batch names/s ({args.workers} workers, {len(batch):,} names)",
        f"{throughput:,.0f}",
        f"~{brute_rate:,.0f} (projected)",
        "≥ 20,000",
        mark[ok["batch"]],
    )
    table.add_row("single query p50 (ms)", f"{p50:.2f}", f"{brute_p50:.1f}", "", "")
    table.add_row(
        "single query p99 (ms)",
        f"{p99:.2f}",
        f"{brute_lat[int(len(brute_lat) * 0.99) - 1]:.1f}",
        "≤ 10",
        mark[ok["p99"]],
    )
    table.add_row("peak memory (MB, RSS)", f"{memory:.0f}", "", "≤ 500", mark[ok["memory"]])
    console.print(table)
    console.print(
        f"parse {parse_s:.1f}s; memory after build {memory_after_build:.0f} MB; "
        f"{hits:,} of {len(batch):,} batch names had a hit ≥ {DEFAULT_THRESHOLD}; brute force on {len(brute)} queries"
    )
    OUT.mkdir(exist_ok=True)
    (OUT / "speed.json").write_text(
        json.dumps(
            {
                "algorithm": ALGORITHM,
                "entities": len(candidates),
                "names": name_count,
                "build_s": build_s,
                "batch_names_per_s": throughput,
                "batch_size": len(batch),
                "workers": args.workers,
                "p50_ms": p50,
                "p99_ms": p99,
                "peak_mb": memory,
                "brute_force_p50_ms": brute_p50,
                "brute_force_names_per_s_projected": brute_rate,
                "targets_met": ok,
            },
            indent=2,
        )
    )
    sys.exit(0)


if __name__ == "__main__":
    main()
