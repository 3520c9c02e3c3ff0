"""bench/api: the REST API under load from a separate process on loopback.

Run: ``python -m bench.api [--concurrency 50] [--requests 5000] [--workers 2]``.
Starts ``raqib serve`` (fresh home under bench/out/api, bundled UN + OFAC lists) on 127.0.0.1, waits
for /ready, then runs bench/api/load.py in another process: first GET /health (the framework's own
cost: the baseline column), then POST /v1/screen with synthetic customer names.
Target (issue 4): /v1/screen at 50 concurrent clients, p99 <= 50 ms, zero errors.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

OUT = Path(__file__).resolve().parent.parent / "out"
READY_IN_A_ROW = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    args = parser.parse_args()
    console = Console()
    home = OUT / "api"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = {**os.environ, "RAQIB_HOME": str(home)}
    raqib = [sys.executable, "-m", "raqib"]
    subprocess.run([*raqib, "lists", "import", "--bundled"], env=env, check=True, capture_output=True)
    created = subprocess.run(
        [*raqib, "keys", "create", "bench", "--json"], env=env, check=True, capture_output=True
    )
    key = json.loads(created.stdout)["secret"]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*raqib, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(home / "server.log").open("w"),
    )
    try:
        # Every worker process builds its own index and answers /ready for itself: wait until many
        # answers in a row are 200, so that no worker is still building when the load starts.
        deadline = time.monotonic() + 300
        in_a_row = 0
        while time.monotonic() < deadline and in_a_row < READY_IN_A_ROW:
            try:
                ok = httpx.get(url + "/ready", timeout=2).status_code == 200
            except httpx.HTTPError:
                ok = False
            in_a_row = in_a_row + 1 if ok else 0
            time.sleep(0.05 if ok else 0.5)
        if in_a_row < READY_IN_A_ROW:
            raise SystemExit("the server did not become ready in 300 s; see bench/out/api/server.log")
        results = {}
        for path in ("/health", "/v1/screen"):
            load = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.api.load",
                    "--url",
                    url,
                    "--key",
                    key,
                    "--path",
                    path,
                    "--concurrency",
                    str(args.concurrency),
                    "--requests",
                    str(args.requests),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            results[path] = json.loads(load.stdout)
    finally:
        server.terminate()
        server.wait(timeout=30)
    screen, health = results["/v1/screen"], results["/health"]
    table = Table(
        title=f"bench/api — {args.concurrency} concurrent clients, {args.workers} server workers, loopback"
    )
    for column in ("measure", "POST /v1/screen", "GET /health (baseline)", "target", "met"):
        table.add_column(column)
    ok_p99 = screen["p99_ms"] is not None and screen["p99_ms"] <= 50
    ok_errors = not screen["errors"]
    mark = {True: "[green]✓[/]", False: "[red]✗[/]"}
    table.add_row("requests", str(screen["requests"]), str(health["requests"]), "", "")
    table.add_row("throughput (req/s)", f"{screen['throughput']:.0f}", f"{health['throughput']:.0f}", "", "")
    table.add_row("p50 (ms)", f"{screen['p50_ms']:.1f}", f"{health['p50_ms']:.1f}", "", "")
    table.add_row("p99 (ms)", f"{screen['p99_ms']:.1f}", f"{health['p99_ms']:.1f}", "≤ 50", mark[ok_p99])
    table.add_row("errors", json.dumps(screen["errors"]), json.dumps(health["errors"]), "0", mark[ok_errors])
    console.print(table)
    (OUT / "api.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
