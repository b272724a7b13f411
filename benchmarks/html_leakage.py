"""Boilerplate leakage and recall of eventwire's HTML extraction on trafilatura's evaluation pages.

For each page, ``without`` lists snippets that are page furniture (footers, comments, menus, ads)
and must not be in the extracted body; ``with`` lists snippets of the article that must be.
Prints pages, leaked snippets / all ``without`` snippets, kept snippets / all ``with`` snippets,
and the same for trafilatura's defaults, so a change to our options or boilerplate patterns is
measured against the library alone.

    .venv/bin/python benchmarks/html_leakage.py [../shared/corpus/html/trafilatura_eval] [--show]
"""
from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

from eventwire.errors import InputError
from eventwire.ingest.html import article_from_html
from eventwire.ingest.sources import decode

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/corpus/html/trafilatura_eval"


def main(argv: list[str]) -> int:
    show = "--show" in argv
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else DEFAULT
    if not (root / "evaldata.json").exists():
        print(f"no evaldata.json under {root}", file=sys.stderr)
        return 1
    import trafilatura

    data = json.loads((root / "evaldata.json").read_text("utf-8"))
    totals = {"ours": [0, 0, 0, 0], "trafilatura": [0, 0, 0, 0]}   # leaked, without, kept, with
    pages, seconds = 0, 0.0
    for url, item in data.items():
        path = root / "html" / (item["file"] + ".gz")
        if not path.exists():
            path = root / "html" / item["file"]
            if not path.exists():
                continue
        raw = gzip.open(path, "rb").read() if path.suffix == ".gz" else path.read_bytes()
        html = decode(raw, str(path))
        pages += 1
        t0 = time.perf_counter()
        try:
            ours = article_from_html(html, item=str(path)).text
        except InputError:
            ours = ""
        seconds += time.perf_counter() - t0
        plain = trafilatura.extract(html) or ""
        for name, body in (("ours", ours), ("trafilatura", plain)):
            t = totals[name]
            for s in item.get("without", []):
                t[1] += 1
                if s in body:
                    t[0] += 1
                    if show and name == "ours":
                        print(f"LEAK {path.name}: {s!r}")
            for s in item.get("with", []):
                t[3] += 1
                t[2] += int(s in body)
    print(f"pages: {pages}   our extraction: {pages / seconds:.1f} pages/s")
    for name, (leaked, without, kept, with_) in totals.items():
        print(f"{name:12} leaked {leaked}/{without} ({leaked / without:.1%})   "
              f"kept {kept}/{with_} ({kept / with_:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
