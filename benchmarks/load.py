"""Load: 50 concurrent clients against the API on loopback for a fixed time; stops by itself.

Each client loops over a mix of read requests (events with filters, articles, one article,
search, actors, stories, positions, the dashboard summary and page) until the time is up. The
server is ``uvicorn --factory eventwire.api:app_from_env`` in its own process over a synthetic
store (see api_latency.py). Prints requests/s, the error count and p50/p99 latency.

    .venv/bin/python benchmarks/load.py [--clients 50] [--seconds 60] [--workers 1] [--events 10000] [--db PATH]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_latency import LoopbackServer, endpoints, fill, percentile  # noqa: E402


async def client_loop(client, make_paths: list, deadline: float, rng: random.Random,
                      latencies: list, errors: Counter, per_kind: Counter) -> None:
    while time.monotonic() < deadline:
        name, make = rng.choice(make_paths)
        path = make()
        t = time.perf_counter()
        try:
            r = await client.get(path)
            ok = r.status_code == 200
            if not ok:
                errors[f"HTTP {r.status_code} {name}"] += 1
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
            ok = False
            errors[f"{type(exc).__name__} {name}"] += 1
        latencies.append((time.perf_counter() - t) * 1000)
        per_kind[name] += 1


async def run_load(base: str, clients: int, seconds: float, article_ids: list[str]) -> tuple:
    import httpx

    rng = random.Random(5)
    # As a dashboard asks: the summary at its default range (cached for a few seconds by the API).
    paths = [(name, make) for name, make in endpoints(article_ids, rng).items() if not name.startswith("summary")]
    paths += [("summary (dashboard, cached)", lambda: "/api/summary"), ("dashboard page", lambda: "/")]
    latencies: list[float] = []
    errors: Counter = Counter()
    per_kind: Counter = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        start = time.monotonic()
        deadline = start + seconds
        await asyncio.gather(*(client_loop(client, paths, deadline, random.Random(i), latencies, errors, per_kind)
                               for i in range(clients)))
        elapsed = time.monotonic() - start
    return latencies, errors, per_kind, elapsed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0, help="how long the load runs (default 60)")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    ap.add_argument("--events", type=int, default=10_000, help="events in the synthetic store (default 10000)")
    ap.add_argument("--db", default=None, help="store to use (filled when empty; default: a temporary SQLite file)")
    args = ap.parse_args(argv)
    if args.clients < 1 or not 0 < args.seconds <= 3600:
        ap.error("--clients must be ≥ 1 and --seconds in (0, 3600]")

    from eventwire.store.base import open_store

    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = os.path.join(tmp.name, "load.db")
    with open_store(db) as store:
        if not store.counts().get("events"):
            fill(db, args.events)
    with open_store(db) as store:
        article_ids = [a["id"] for a in store.articles(limit=500)]
        counts = store.counts()

    with LoopbackServer(db, workers=args.workers) as srv:
        print(f"{args.clients} concurrent clients for {args.seconds:g} s against {srv.base} "
              f"({args.workers} uvicorn worker(s); store: {counts.get('articles')} articles, "
              f"{counts.get('events')} events)")
        latencies, errors, per_kind, elapsed = asyncio.run(run_load(srv.base, args.clients, args.seconds, article_ids))
    n = len(latencies)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end of the run")
    print(f"requests: {n} in {elapsed:.1f} s = {n / elapsed:.1f} requests/s")
    print(f"errors: {sum(errors.values())}")
    for what, k in errors.most_common(10):
        print(f"  {k} × {what}")
    if n:
        print(f"latency ms: p50 {percentile(latencies, 50):.1f}  p90 {percentile(latencies, 90):.1f}  "
              f"p99 {percentile(latencies, 99):.1f}  max {max(latencies):.1f}")
    print("mix: " + ", ".join(f"{name} {k}" for name, k in per_kind.most_common()))
    if tmp:
        tmp.cleanup()
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
