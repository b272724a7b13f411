"""Conflicts, issues and 40 randomly drawn position cells with evidence, from a store.

    python benchmarks/positions_listing.py --db STORE.db [--seed 14] [--cells 40] [--out FILE]

Prints figures and listings; asserts nothing (a reader judges the cells)."""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict

from eventwire.positions import all_statements, load_conflicts, place, positions_from
from eventwire.store.base import open_store


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--cells", type=int, default=40)
    ap.add_argument("--out")
    args = ap.parse_args()
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    with open_store(args.db) as store:
        n_articles = sum(1 for _ in store.iter_documents())
        t0 = time.perf_counter()
        sts = all_statements(store)
        placed, info, labels = place(sts, load_conflicts())
        rows = positions_from(placed, info, labels)
        took = time.perf_counter() - t0
    print(f"{n_articles} articles, {len(sts)} stance statements, {len(rows)} position cells in {took:.1f} s",
          file=out)
    issues = defaultdict(set)
    for r in rows:
        issues[r["conflict"]].add((r["issue"], r["issue_label"]))
    print(f"\nconflicts ({len(issues)}; with >= 3 issues: {sum(len(v) >= 3 for v in issues.values())})", file=out)
    for cid, iss in sorted(issues.items(), key=lambda kv: -len(kv[1])):
        print(f"  {cid} ({info[cid]['label']}): {len(iss)} issues", file=out)
        for iid, label in sorted(iss):
            parties = [f"{r['party']} {r['stance']}" for r in rows if r["conflict"] == cid and r["issue"] == iid]
            print(f"      {label}  [{iid}]: {', '.join(parties)}", file=out)
    rnd = random.Random(args.seed)
    drawn = rnd.sample(rows, min(args.cells, len(rows)))
    print(f"\n{len(drawn)} cells drawn at random (seed {args.seed}):", file=out)
    for n, r in enumerate(drawn, 1):
        hist = json.loads(r["history"])
        last = hist[-1]
        print(f"\n{n:2}. {r['conflict']} · {r['issue_label']} · {r['party']} {r['stance']} "
              f"({r['date']}, {r['article_id']}, via {r['via']}; object: {last.get('object')!r})", file=out)
        print(f"    {' '.join(r['evidence_text'].split())}", file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
