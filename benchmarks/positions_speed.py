"""Time ``eventwire positions`` on a store of N articles.

    python benchmarks/positions_speed.py --from STORE.db [--n 2000] [--db /tmp/positions_2000.db]

The store is filled (once) from the processed documents of ``--from``: each real document is stored
again under a new URL, with a line appended after its text (offsets unchanged), until N articles are
stored, so every copy carries real events, quotes and actors. Then it times the rebuild of the
positions cold (every statement read from every document) and warm (statements kept in the store
from the first rebuild, as after an ingest), and the printing of the matrix, as the command runs them. Prints figures; asserts nothing."""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import time

from eventwire.cli import main as cli
from eventwire.model import document_from_dict
from eventwire.store.base import open_store


def fill(source: str, target: str, n: int) -> None:
    with open_store(source) as src, open_store(target) as dst:
        docs = [d for _, _, d in src.iter_documents()]
        k = 0
        while dst.counts()["articles"] < n:
            for d in docs:
                if dst.counts()["articles"] >= n:
                    break
                copy = dict(d, text=d["text"] + f"\n\n[copy {k}]", url=f"{d.get('url') or 'urn:x'}#copy{k}",
                            id=f"{d.get('id')}-copy{k}")
                dst.add_document(document_from_dict(copy), source="bench")
            k += 1


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="source", required=True)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--db", default="/tmp/positions_2000.db")
    args = ap.parse_args()
    if not os.path.exists(args.db):
        t0 = time.perf_counter()
        fill(args.source, args.db, args.n)
        print(f"filled {args.db} in {time.perf_counter() - t0:.0f} s")
    with open_store(args.db) as s:
        print(f"{s.counts()['articles']} articles stored")
        s._execute("DELETE FROM stance_statements")  # cold: no statement read yet
    for argv, what in ((["positions", "--db", args.db, "--rebuild"], "positions --rebuild, cold (statements read from every article)"),
                       (["positions", "--db", args.db, "--rebuild"], "positions --rebuild, warm (statements kept from the first)"),
                       (["positions", "--db", args.db], "positions (stored matrix)"),
                       (["positions", "--db", args.db, "--history"], "positions --history")):
        out = io.StringIO()
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(out):
            rc = cli(argv)
        took = time.perf_counter() - t0
        print(f"{what}: {took:.1f} s, exit {rc}, {len(out.getvalue().splitlines())} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
