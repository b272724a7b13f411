"""Throughput of eventwire against bare spaCy, per-stage times, memory, workers, Dask, cold start.

    .venv/bin/python benchmarks/throughput.py                 # 1,000 White House briefings
    .venv/bin/python benchmarks/throughput.py --n 200 --skip-dask

Prints figures; asserts nothing (speed is measured here, never in unit tests). Every run uses one
BLAS thread per process, so "1 worker" means one core for eventwire and for spaCy alike.
The corpus is ../shared/corpus/bulk/wh_briefings_14k.jsonl.gz (or --corpus).
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "bulk" / "wh_briefings_14k.jsonl.gz"
SEED = REPO.parent / "shared" / "corpus" / "seed" / "trump-putin-call.txt"


def load_articles(path: Path, n: int, skip: int):
    from eventwire.ingest.sources import Failure, iter_items

    out = []
    for item in iter_items([path]):
        if isinstance(item, Failure):
            continue
        if skip:
            skip -= 1
            continue
        out.append(item)
        if len(out) >= n:
            break
    return out


def bare_spacy(texts: list[str], batch_size: int) -> float:
    from eventwire.nlp import load_spacy

    nlp = load_spacy()
    t = time.perf_counter()
    with nlp.select_pipes(enable=["tok2vec", "parser", "ner"]):
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass
    return time.perf_counter() - t


def run_eventwire(articles, **kw) -> tuple[float, dict, int]:
    from eventwire.ingest.sources import Failure
    from eventwire.scale import process

    stats: dict = {}
    t = time.perf_counter()
    failed = sum(isinstance(r, Failure) for r in process(articles, stats=stats, progress=False, **kw))
    return time.perf_counter() - t, stats, failed


def line(label: str, n: int, seconds: float, extra: str = "") -> None:
    print(f"  {label:<38} {n / seconds:8.3f} articles/s  ({seconds:7.1f} s){extra}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    ap.add_argument("--skip", type=int, default=0, help="articles to skip at the start of the corpus")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--chunk-size", type=int, default=8)
    ap.add_argument("--batch-size", type=int, default=16, help="spaCy batch size for the bare run")
    ap.add_argument("--full", action="store_true", help="also time eventwire with the fast path off")
    ap.add_argument("--skip-workers", action="store_true", help="no 2-worker run")
    ap.add_argument("--skip-dask", action="store_true", help="no Dask LocalCluster run")
    ap.add_argument("--skip-cold", action="store_true", help="no cold `eventwire extract` run")
    args = ap.parse_args(argv)

    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus} (clone the project with ../shared beside it)", file=sys.stderr)
        return 2
    articles = load_articles(args.corpus, args.n, args.skip)
    n = len(articles)
    chars = sum(len(a.text) for a in articles)
    print(f"{n} articles, {chars / n:,.0f} characters on average, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start", flush=True)

    from eventwire.scale import _pipeline

    _pipeline({})  # load the model before timing, as a long run would have it loaded
    print("\nsingle core (model loaded before timing)")
    t_bare = bare_spacy([a.text for a in articles], args.batch_size)
    line("bare spaCy (tok2vec+parser+ner)", n, t_bare)
    t_ew, stats, failed = run_eventwire(articles, workers=1, chunk_size=args.chunk_size)
    line("eventwire end-to-end", n, t_ew, f"  {failed} failed" if failed else "")
    print(f"  {'ratio eventwire / bare spaCy':<38} {t_bare / t_ew:8.2f}   (goal >= 1.0)")
    pipe = _pipeline({})
    chunks = pipe.chunks
    print(f"  chunks parsed / NER only: {chunks['full']} / {chunks['light']}")
    print("\nper-component seconds (eventwire, 1 worker)")
    total = sum(stats["timings"].values()) or 1.0
    for name, sec in stats["timings"].items():
        print(f"  {name:<24} {sec:8.2f} s  {100 * sec / total:5.1f} %")
    if args.full:
        t_full, _, _ = run_eventwire(articles, workers=1, chunk_size=args.chunk_size, fast=False)
        line("eventwire, fast path off", n, t_full, f"  (fast path is {t_full / t_ew:.2f}x)")
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process (bare spaCy + eventwire loaded): {rss_self:.0f} MB")

    if not args.skip_workers:
        print("\nworkers (wall time, worker start-up included)")
        t2, st2, _ = run_eventwire(articles, workers=2, chunk_size=args.chunk_size)
        line("eventwire, 2 workers", n, t2, f"  speed-up over 1 worker {t_ew / t2:.2f}x (goal >= 1.8)")
        rss = ", ".join(f"{v:.0f}" for v in st2["peak_rss_mb"].values())
        print(f"  peak RSS per worker: {rss} MB (goal <= 600)")
    if not args.skip_dask:
        t_d, st_d, _ = run_eventwire(articles, workers=2, dask="local", chunk_size=args.chunk_size)
        line("eventwire, Dask LocalCluster 2 workers", n, t_d,
             f"  vs local 2 workers {t2 / t_d:.2f}x" if not args.skip_workers else "")
        rss = ", ".join(f"{v:.0f}" for v in st_d["peak_rss_mb"].values())
        print(f"  peak RSS per Dask worker: {rss} MB")
    if not args.skip_cold and SEED.exists():
        exe = REPO / ".venv" / "bin" / "eventwire"
        cmd = [str(exe) if exe.exists() else "eventwire", "extract", str(SEED), "--published", "2025-05-17"]
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        print(f"\ncold `eventwire extract` of the seed article: {time.perf_counter() - t:.2f} s (goal <= 3 s)")
    print(f"\nload average at end {os.getloadavg()[0]:.1f} (other processes on this machine slow every figure)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
