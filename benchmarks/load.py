"""Load: 50 concurrent clients against the API on loopback for a fixed time; stops by itself.

Each client loops over a mix of read requests (events with filters, articles, one article,
search, actors, stories, positions, the dashboard summary and page) until the time is up. The
server is ``uvicorn --factory eventwire.api:app_from_env`` in its own process over the store given
by ``--db`` (a synthetic one, see api_latency.py, when it is empty). Prints requests/s, the error
count, p50/p99 over the mix and per endpoint, and the machine's load average.

``--ingest FILE`` runs ``eventwire ingest FILE --db DB`` in another process during the load, so
the figures show whether reads wait behind a writer (SQLite WAL: they should not); the store is
copied first unless ``--in-place``, so the same run can be repeated on the same data.

    .venv/bin/python benchmarks/load.py [--clients 50] [--seconds 60] [--workers 1] [--events 10000]
                                        [--db PATH] [--ingest ARTICLES.jsonl] [--no-cache]
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

from api_latency import LoopbackServer, endpoints, fill, percentile, store_profile  # noqa: E402


class Connection:
    """One keep-alive HTTP/1.1 connection over asyncio streams: the load generator shares the
    machine with the server, so it spends as little CPU per request as it can (httpx's client
    costs about as much per request as the server does; ``--client httpx`` uses it anyway)."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader = self.writer = None

    async def get(self, path: str) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        try:
            self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                              f"Accept: application/json\r\n\r\n".encode())
            head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), self.timeout)
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            if headers.get("transfer-encoding", "").lower() == "chunked":
                size = 0
                while True:
                    n = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    await self.reader.readexactly(n + 2)
                    size += n
                    if n == 0:
                        break
            else:
                size = int(headers.get("content-length", "0"))
                await asyncio.wait_for(self.reader.readexactly(size), self.timeout)
            if headers.get("connection", "").lower() == "close":
                self.close()
            return status, size
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def client_loop(get, make_paths: list, deadline: float, rng: random.Random,
                      latencies: list, errors: Counter, per_kind: dict) -> None:
    while time.monotonic() < deadline:
        name, make = rng.choice(make_paths)
        path = make()
        t = time.perf_counter()
        try:
            status = await get(path)
            if status != 200:
                errors[f"HTTP {status} {name}"] += 1
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
            errors[f"{type(exc).__name__} {name}"] += 1
        ms = (time.perf_counter() - t) * 1000
        latencies.append(ms)
        per_kind.setdefault(name, []).append(ms)


async def run_load(base: str, clients: int, seconds: float, article_ids: list[str], profile: dict,
                   client_kind: str = "raw") -> tuple:
    import httpx

    rng = random.Random(5)
    # As a dashboard asks: the summary at its default range, and the page itself.
    paths = [(name, make) for name, make in endpoints(article_ids, rng, profile).items()
             if not name.startswith("summary")]
    paths += [("summary (dashboard default)", lambda: "/api/summary"), ("dashboard page", lambda: "/")]
    latencies: list[float] = []
    errors: Counter = Counter()
    per_kind: dict[str, list[float]] = {}
    host, port = base.split("//", 1)[1].split(":")
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        getters = []
        for _ in range(clients):
            if client_kind == "httpx":
                async def get(path):
                    return (await client.get(path)).status_code
            else:
                conn = Connection(host, int(port), 30.0)

                async def get(path, conn=conn):
                    return (await conn.get(path))[0]
            getters.append(get)
        start = time.monotonic()
        deadline = start + seconds
        await asyncio.gather(*(client_loop(get, paths, deadline, random.Random(i), latencies, errors, per_kind)
                               for i, get in enumerate(getters)))
        elapsed = time.monotonic() - start
    return latencies, errors, per_kind, elapsed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0, help="how long the load runs (default 60)")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    ap.add_argument("--events", type=int, default=10_000, help="events in the synthetic store (default 10000)")
    ap.add_argument("--db", default=None, help="store to use (filled when empty; default: a temporary SQLite file)")
    ap.add_argument("--ingest", metavar="FILE", help="articles to ingest into the store while the load runs")
    ap.add_argument("--in-place", action="store_true", help="with --ingest: write into --db itself, not a copy")
    ap.add_argument("--rebuild", action="store_true",
                    help="with --ingest: let the ingest rebuild stories and positions at its end (one long write)")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="raw: a minimal keep-alive HTTP/1.1 client (default); httpx: httpx.AsyncClient")
    ap.add_argument("--no-cache", action="store_true", help="serve with the response cache off (EVENTWIRE_RESPONSE_CACHE=0)")
    args = ap.parse_args(argv)
    if args.clients < 1 or not 0 < args.seconds <= 3600:
        ap.error("--clients must be ≥ 1 and --seconds in (0, 3600]")

    from eventwire.store.base import open_store

    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = os.path.join(tmp.name, "load.db")
    if args.ingest and args.db and not args.in_place:
        import shutil

        tmp = tempfile.TemporaryDirectory()
        copy = os.path.join(tmp.name, "load.db")
        with open_store(db):   # opening checkpoints nothing, but migrates: copy a current file
            pass
        shutil.copyfile(db, copy)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(db + suffix):
                shutil.copyfile(db + suffix, copy + suffix)
        db = copy
    with open_store(db) as store:
        if not store.counts().get("events"):
            fill(db, args.events)
    with open_store(db) as store:
        article_ids = [a["id"] for a in store.articles(limit=500)]
        counts = store.counts()
    profile = store_profile(db)

    env = {"EVENTWIRE_RESPONSE_CACHE": "0"} if args.no_cache else {}
    writer = None
    with LoopbackServer(db, workers=args.workers, env=env) as srv:
        print(f"{args.clients} concurrent clients for {args.seconds:g} s against {srv.base} "
              f"({args.workers} uvicorn worker(s), response cache {'off' if args.no_cache else 'on'}, "
              f"{args.client} client; "
              f"store: {counts.get('articles')} articles, {counts.get('events')} events)")
        if args.ingest:
            import subprocess

            writer = subprocess.Popen([sys.executable, "-m", "eventwire.cli", "ingest", args.ingest, "--db", db,
                                       *([] if args.rebuild else ["--no-rebuild"])],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      cwd=str(Path(__file__).resolve().parents[1]))
            print(f"ingesting {args.ingest} into the same store during the load (pid {writer.pid})")
            # The load starts once the writer is writing (its model loads first), so the whole
            # run has an ingest in progress.
            with open_store(db) as store:
                waited = time.monotonic()
                while (store.counts().get("articles") == counts.get("articles") and writer.poll() is None
                       and time.monotonic() - waited < 300):
                    time.sleep(0.5)
                print(f"first article written after {time.monotonic() - waited:.0f} s; the load starts")
        try:
            latencies, errors, per_kind, elapsed = asyncio.run(run_load(srv.base, args.clients, args.seconds,
                                                                        article_ids, profile, args.client))
        finally:
            if writer is not None:
                running = writer.poll() is None
                writer.terminate()
                out = writer.communicate(timeout=30)[0].decode("utf-8", "replace").strip().splitlines()
                with open_store(db) as store:
                    after = store.counts()
                print(f"ingest {'still running at the end (stopped)' if running else 'finished'}: "
                      f"{after.get('articles', 0) - counts.get('articles', 0)} articles and "
                      f"{after.get('events', 0) - counts.get('events', 0)} events written during the load"
                      + (f"; last line: {out[-1][:160]}" if out else ""))
    n = len(latencies)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end of the run")
    print(f"requests: {n} in {elapsed:.1f} s = {n / elapsed:.1f} requests/s")
    print(f"errors: {sum(errors.values())}")
    for what, k in errors.most_common(10):
        print(f"  {k} × {what}")
    if n:
        print(f"latency ms: p50 {percentile(latencies, 50):.1f}  p90 {percentile(latencies, 90):.1f}  "
              f"p99 {percentile(latencies, 99):.1f}  max {max(latencies):.1f}")
    print(f"{'endpoint':40s} {'requests':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'max ms':>8s}")
    for name, times in sorted(per_kind.items(), key=lambda kv: -percentile(kv[1], 99)):
        print(f"{name:40s} {len(times):8d} {percentile(times, 50):8.1f} {percentile(times, 99):8.1f} "
              f"{max(times):8.1f}")
    if tmp:
        tmp.cleanup()
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
