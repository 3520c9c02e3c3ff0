"""The load generator for bench/api: a separate process, closed loop, N concurrent clients, bounded."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

import httpx

from bench.synthetic import CustomerGenerator


async def run(
    url: str, key: str, path: str, concurrency: int, requests: int, seconds: float
) -> dict[str, object]:
    names = [c.name for c in CustomerGenerator(99).customers(max(requests, 1000))]
    latencies: list[float] = []
    errors: dict[str, int] = {}
    counter = 0
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal counter
        while counter < requests and time.monotonic() < deadline:
            index = counter
            counter += 1
            started = time.perf_counter()
            try:
                if path == "/health":
                    response = await client.get(url + path)
                else:
                    response = await client.post(
                        url + path, json={"name": names[index % len(names)]}, headers=headers
                    )
                if response.status_code != 200:
                    errors[str(response.status_code)] = errors.get(str(response.status_code), 0) + 1
            except httpx.HTTPError as err:
                errors[type(err).__name__] = errors.get(type(err).__name__, 0) + 1
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "path": path,
        "requests": len(latencies),
        "seconds": elapsed,
        "throughput": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": latencies[len(latencies) // 2] if latencies else None,
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] if latencies else None,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--path", default="/v1/screen")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    result = asyncio.run(run(args.url, args.key, args.path, args.concurrency, args.requests, args.seconds))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
