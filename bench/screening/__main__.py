"""bench/screening: the daily batch job and the delta re-screen, end to end, at bank scale.

Run: ``python -m bench.screening [--customers N] [--workers 2]`` (default 1,000,000 customers).
Uses a fresh SQLite store under bench/out/screening/ and the real lists in ../shared/data:

1. imports UN 2018-08-24 and OFAC SDN 2021-07, generates N synthetic customers (bench/synthetic.py:
   Arabic and Latin names, realistic frequencies) into a Parquet file and imports the register;
2. runs ``jobs screen-customers`` (full screen): wall time and names/s — target >= 20,000 names/s;
3. imports the next real UN version (2018-10-29) and runs the delta re-screen: wall time, customers
   and entities touched — target <= 10% of the full screen's time (the baseline column).
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

from bench.synthetic import SHARED, CustomerGenerator
from raqib.cases import AlertStore
from raqib.db import open_engine
from raqib.lists import ListStore, parse_list
from raqib.screening import CustomerRegister, Screener, ScreeningJobs

OUT = Path(__file__).resolve().parent.parent / "out"
UN = SHARED / "lists" / "un"
OLD_UN = UN / "un_consolidated_2018-08-24.xml"
NEW_UN = UN / "un_consolidated_2018-10-29.xml"
OFAC = SHARED / "lists" / "ofac" / "2021-07"


def write_customers(path: Path, count: int) -> None:
    generator = CustomerGenerator(2026)
    writer = None
    chunk: dict[str, list[str | None]] = {"id": [], "name": [], "dob": [], "country": []}
    for customer in generator.customers(count):
        chunk["id"].append(customer.id)
        chunk["name"].append(customer.name)
        chunk["dob"].append(customer.dob)
        chunk["country"].append(customer.country)
        if len(chunk["id"]) >= 100_000:
            table = pa.table(chunk, schema=pa.schema([(k, pa.string()) for k in chunk]))
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
            chunk = {k: [] for k in chunk}
    if chunk["id"]:
        table = pa.table(chunk, schema=pa.schema([(k, pa.string()) for k in chunk]))
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    if writer is not None:
        writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=20_000)
    args = parser.parse_args()
    console = Console()
    home = OUT / "screening"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    engine = open_engine(f"sqlite:///{home / 'raqib.db'}")
    store = ListStore(engine)
    for path in (OLD_UN, OFAC):
        store.import_parsed(parse_list(path), source_path=str(path))

    started = time.perf_counter()
    customers_file = home / "customers.parquet"
    write_customers(customers_file, args.customers)
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    CustomerRegister(engine).import_file(customers_file)
    register_s = time.perf_counter() - started

    jobs = ScreeningJobs(engine)
    started = time.perf_counter()
    screener = Screener.from_store(store)
    build_s = time.perf_counter() - started
    full = jobs.screen_customers(screener, workers=args.workers, batch_size=args.batch_size)
    full_rate = full.customers / full.seconds

    old = store.latest_versions(["un_sc"])[0]
    new = store.import_parsed(parse_list(NEW_UN), source_path=str(NEW_UN)).version
    delta = jobs.delta(old, new, workers=args.workers, batch_size=args.batch_size)
    ratio = delta.seconds / full.seconds

    table = Table(
        title=f"bench/screening — {args.customers:,} synthetic customers vs UN 2018-08-24 + OFAC 2021-07"
    )
    for column in ("measure", "value", "baseline / target", "met"):
        table.add_column(column)
    mark = {True: "[green]✓[/]", False: "[red]✗[/]"}
    table.add_row("register import (s)", f"{register_s:.1f}", f"generate {generate_s:.1f}s", "")
    table.add_row("index build (s)", f"{build_s:.1f}", "", "")
    table.add_row("full screen wall time (s)", f"{full.seconds:.1f}", "", "")
    table.add_row("full screen names/s", f"{full_rate:,.0f}", "≥ 20,000", mark[full_rate >= 20_000])
    table.add_row("alerts raised (full)", f"{full.new_alerts:,}", "", "")
    table.add_row(
        "delta re-screen (s), UN 2018-08-24 → 10-29",
        f"{delta.seconds:.1f}",
        f"full {full.seconds:.1f}s; ≤ 10% = {full.seconds * 0.1:.1f}s",
        mark[ratio <= 0.10],
    )
    table.add_row("delta / full", f"{ratio:.1%}", "≤ 10%", mark[ratio <= 0.10])
    table.add_row(
        "entities touched (added / changed / removed)",
        f"{delta.extra['entities_added']} / {delta.extra['entities_changed']} / {delta.extra['entities_removed']}",
        "",
        "",
    )
    table.add_row(
        "customers re-screened / new alerts / marked removed",
        f"{delta.customers:,} / {delta.new_alerts} / {delta.extra['alerts_marked_removed']}",
        "",
        "",
    )
    console.print(table)
    console.print(f"open alerts now: {AlertStore(engine).count('open'):,}")
    (OUT / "screening.json").write_text(
        json.dumps(
            {
                "customers": args.customers,
                "register_import_s": register_s,
                "index_build_s": build_s,
                "full": full.to_dict(),
                "full_names_per_s": full_rate,
                "delta": delta.to_dict(),
                "delta_over_full": ratio,
            },
            indent=2,
            default=str,
        )
    )
    engine.dispose()


if __name__ == "__main__":
    main()
