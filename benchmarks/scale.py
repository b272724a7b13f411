"""Dask across machines, tried on one: the bulk corpus on a LocalCluster, one worker killed midway,
and the stored result compared with a run in local worker processes.

    .venv/bin/python benchmarks/scale.py                       # all 14,396 briefings (hours on 2 cores)
    .venv/bin/python benchmarks/scale.py --limit 200 --workers 2

Prints figures and a verdict; the exit status is 1 when the two stores differ (an article lost or
stored twice, or a Document that is not the same). Both runs write to SQLite stores in a temporary
directory (or --keep DIR). The corpus is ../shared/corpus/bulk/wh_briefings_14k.jsonl.gz (--corpus).
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402
import sqlite3  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "bulk" / "wh_briefings_14k.jsonl.gz"


def load(path: Path, limit: int | None):
    from eventwire.ingest.sources import Failure, iter_items

    out = []
    for item in iter_items([path]):
        if isinstance(item, Failure):
            continue
        out.append(item)
        if limit and len(out) >= limit:
            break
    return out


def run(articles, store_path: Path, kill_at: int | None = None, **kw) -> dict:
    """Extract ``articles`` through scale.process and store each Document; with ``kill_at``, one
    worker process is killed (SIGKILL) once that many results have come back."""
    from eventwire.ingest.sources import Failure
    from eventwire.scale import process
    from eventwire.store import open_store

    store = open_store(str(store_path))
    stats: dict = {}
    docs, failed, killed = {}, 0, None
    t = time.perf_counter()
    try:
        for n, result in enumerate(process(articles, stats=stats, progress=False, **kw), 1):
            if isinstance(result, Failure):
                failed += 1
            else:
                docs[result.id] = json.dumps(result.to_dict(), sort_keys=True, ensure_ascii=False)
                store.add_document(result)
            if kill_at is not None and killed is None and n >= kill_at:
                workers = [p for p in stats.get("peak_rss_mb", {}) if p != os.getpid()]
                if workers:
                    killed = workers[0]
                    os.kill(killed, signal.SIGKILL)
    finally:
        store.close()
    return {"seconds": time.perf_counter() - t, "docs": docs, "failed": failed, "killed": killed,
            "stats": stats}


def table_counts(path: Path) -> dict:
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def article_keys(path: Path) -> list:
    con = sqlite3.connect(path)
    try:
        return sorted(con.execute("SELECT external_id, content_hash FROM articles"))
    finally:
        con.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="first N articles only (default: all)")
    ap.add_argument("--workers", type=int, default=2, help="Dask workers and local worker processes")
    ap.add_argument("--chunk-size", type=int, default=8)
    ap.add_argument("--no-kill", action="store_true", help="do not kill a Dask worker")
    ap.add_argument("--keep", type=Path, default=None, help="write the two stores here and keep them")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2

    articles = load(args.corpus, args.limit)
    n = len(articles)
    print(f"{n:,} articles, {sum(len(a.text) for a in articles) / max(n, 1):,.0f} characters on average, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    tmp = None
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        where = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="eventwire-scale-")
        where = Path(tmp.name)
    local_db, dask_db = where / "local.db", where / "dask.db"
    for p in (local_db, dask_db):
        if p.exists():
            p.unlink()

    local = run(articles, local_db, workers=args.workers, chunk_size=args.chunk_size)
    print(f"local, {args.workers} worker processes: {local['seconds']:.1f} s, "
          f"{n / local['seconds'] / args.workers:.3f} articles/s per worker", flush=True)
    kill_at = None if args.no_kill else max(1, n // 2)
    dask = run(articles, dask_db, kill_at=kill_at, dask="local", workers=args.workers,
               chunk_size=args.chunk_size)
    print(f"Dask LocalCluster, {args.workers} workers: {dask['seconds']:.1f} s, "
          f"{n / dask['seconds'] / args.workers:.3f} articles/s per worker"
          + (f"; worker pid {dask['killed']} killed after {kill_at:,} results" if dask["killed"] else
             "; no worker killed"), flush=True)
    for key in ("peak_rss_mb", "pss_mb", "private_mb"):
        if dask["stats"].get(key):
            print(f"  {key} per Dask worker: " + ", ".join(f"{v:.0f}" for v in dask["stats"][key].values()))

    counts_local, counts_dask = table_counts(local_db), table_counts(dask_db)
    keys_local, keys_dask = article_keys(local_db), article_keys(dask_db)
    same_docs = local["docs"] == dask["docs"]
    print(f"\nstored articles: local {len(keys_local):,}, Dask {len(keys_dask):,}, "
          f"distinct in Dask {len(set(keys_dask)):,}; failures local {local['failed']}, Dask {dask['failed']}")
    differing = [t for t in sorted(set(counts_local) | set(counts_dask))
                 if counts_local.get(t) != counts_dask.get(t)]
    print("rows per table equal: " + ("yes" if not differing else "NO: " + ", ".join(
        f"{t} {counts_local.get(t)} vs {counts_dask.get(t)}" for t in differing)))
    print(f"every Document identical: {'yes' if same_docs else 'NO'}")
    ok = (same_docs and not differing and keys_local == keys_dask
          and len(set(keys_dask)) == len(keys_dask) == n - dask["failed"])
    print("verdict: " + ("same stored result, nothing lost or doubled" if ok else "DIFFERENT"))
    if tmp is not None:
        tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
