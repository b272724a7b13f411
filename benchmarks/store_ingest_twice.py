"""Ingest a corpus twice into SQLite and into PostgreSQL; print rows added, counts and timings.

    .venv/bin/python benchmarks/store_ingest_twice.py [--corpus FILE.jsonl.gz] [--limit N] [--pg URL]

The second run must add 0 rows (articles are recognised by URL and content hash before any NLP
runs), and both stores must end with identical counts. Without --pg a throwaway PostgreSQL cluster
is started (Debian's postgresql binaries); without those, only SQLite is measured. --limit takes
the first N articles of the corpus (the full White House corpus is ~2,200 long briefings, hours of
NLP on two cores).

The PostgreSQL runs go through the same ingest (sources, skip-before-NLP, one transaction per
article, stories and positions rebuilt), but by default take each article's Document from the
SQLite run instead of extracting it again (--extract-again to run the NLP twice): the NLP is the
same code either way, and this keeps the benchmark to one extraction.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eventwire.store import pgcluster  # noqa: E402
from eventwire.store.base import open_store  # noqa: E402
from eventwire.store.ingest import ingest  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "articles" / "wh_briefings_conflict_2022_2026.jsonl.gz"


def first_lines(corpus: Path, limit: int, out: Path) -> int:
    n = 0
    with gzip.open(corpus, "rt", encoding="utf-8") if corpus.suffix == ".gz" else open(corpus, encoding="utf-8") as f, \
            open(out, "w", encoding="utf-8") as w:
        for line in f:
            if not line.strip():
                continue
            w.write(line)
            n += 1
            if limit and n >= limit:
                break
    return n


class Replay:
    """Stands in for the Pipeline: the Document the SQLite run extracted for the same text."""

    def __init__(self, store_url: str):
        self.url = store_url

    def pipe(self, articles):
        from eventwire.model import document_from_dict
        from eventwire.store.neardup import content_hash

        with open_store(self.url) as source:
            for art in articles:
                found = source._scalar("SELECT document FROM articles WHERE content_hash = ?",
                                       (content_hash(art.text),))
                if found is None:
                    raise RuntimeError(f"{art.id}: not extracted by the SQLite run")
                yield document_from_dict(json.loads(found))


def run(label: str, url: str, items: list[str], pipeline=None, workers: int = 1) -> dict:
    rows = {}
    with open_store(url) as store:
        for attempt in (1, 2):
            before = sum(store.counts().values())
            t = time.perf_counter()
            report = ingest(items, store, pipeline=pipeline, workers=workers if pipeline is None else 1)
            secs = time.perf_counter() - t
            counts = store.counts()
            added_rows = sum(counts.values()) - before
            print(f"{label} run {attempt}: {secs:8.1f} s  articles added {report.added:5d}  skipped {report.skipped:5d}  "
                  f"failed {len(report.failures):3d}  rows added {added_rows}", flush=True)
            rows[attempt] = added_rows
        print(f"{label} counts: {json.dumps(counts)}", flush=True)
    return {"counts": counts, "second_run_rows": rows[2]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=0, help="first N articles only (0: all)")
    ap.add_argument("--pg", help="PostgreSQL URL of an empty database (default: a throwaway cluster)")
    ap.add_argument("--sqlite", help="SQLite file (default: a temporary one)")
    ap.add_argument("--workers", type=int, default=1, help="extraction worker processes")
    ap.add_argument("--extract-again", action="store_true",
                    help="run the NLP again for PostgreSQL instead of replaying the SQLite run's Documents")
    args = ap.parse_args()
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        n = first_lines(args.corpus, args.limit, corpus)
        print(f"corpus: {args.corpus.name}, {n} articles", flush=True)
        lite = args.sqlite or str(Path(tmp) / "bench.db")
        results = {"sqlite": run("sqlite  ", lite, [str(corpus)], workers=args.workers)}
        with contextlib.ExitStack() as stack:
            pg = args.pg
            if not pg and pgcluster.unavailable_reason() is None:
                pg = pgcluster.fresh_database(stack.enter_context(pgcluster.server()))
            if pg:
                replay = None if args.extract_again else Replay(lite)
                results["postgres"] = run("postgres" if replay is None else "postgres (Documents replayed)",
                                          pg, [str(corpus)], replay, workers=args.workers)
            else:
                print(f"postgres: skipped ({pgcluster.unavailable_reason()})")
    ok = all(r["second_run_rows"] == 0 for r in results.values())
    if "postgres" in results:
        same = results["sqlite"]["counts"] == results["postgres"]["counts"]
        print(f"counts identical on SQLite and PostgreSQL: {same}")
        ok = ok and same
    print(f"second runs added 0 rows: {all(r['second_run_rows'] == 0 for r in results.values())}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
