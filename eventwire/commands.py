"""The article-level commands: ``extract``, ``schema``, ``demo`` and ``actors``."""
from __future__ import annotations

import json
import sys
from typing import Iterator, TextIO

from .ingest.sources import Failure, iter_items, max_bytes_from_env


def add_cli(sub) -> None:
    p = sub.add_parser("extract", help="print each article's events, actors, quotes, dates and claims as JSON")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help=".txt, .html/.htm, .jsonl (each optionally .gz), or a directory of these")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for articles that give none")
    p.add_argument("-o", "--output", metavar="OUT.jsonl", help="write JSON lines here instead of stdout")
    p.add_argument("--pretty", action="store_true", help="indent the JSON (stdout only)")
    p.add_argument("--max-bytes", type=int, default=None, metavar="N",
                   help="largest article (file or JSONL line) in bytes (default: EVENTWIRE_MAX_BYTES or 1000000)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default: 1)")
    p.add_argument("--min-confidence", type=_confidence, default=None, metavar="P",
                   help="keep only events whose calibrated confidence is at least P (0-1)")
    p.set_defaults(run=run_extract)

    p = sub.add_parser("schema", help="print the JSON Schema of the output")
    p.set_defaults(run=run_schema)

    p = sub.add_parser("demo", help="process the bundled demo corpus into the embedded store and summarise it")
    p.add_argument("--db", default=None, help="store URL or SQLite path (default: eventwire-demo.db)")
    p.set_defaults(run=run_demo)

    p = sub.add_parser("actors", help="list the actors of articles in a table")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--published", metavar="YYYY-MM-DD")
    p.set_defaults(run=run_actors)


def _confidence(value: str) -> float:
    from .events.decide import confidence_arg
    return confidence_arg(value)


def extract_items(paths, published=None, max_bytes=None, workers=1) -> Iterator:
    """Documents (or Failures, in place) for every article under ``paths``, in input order.

    Streamed through ``scale.process``: an article that makes a stage fail becomes a Failure
    (E601) and the others go on; the model is loaded only when there is an article."""
    from .scale import process

    items = iter_items(paths, published, max_bytes or max_bytes_from_env())
    first = next(items, None)
    if first is None:
        return
    if isinstance(first, Failure):
        yield first
        first = next(items, None)
        while isinstance(first, Failure):
            yield first
            first = next(items, None)
        if first is None:
            return
    yield from process(_chain(first, items), workers=workers)


def _chain(first, rest):
    yield first
    yield from rest


def report_failures(failures: list[Failure], total: int, err: TextIO = sys.stderr) -> int:
    """One line per failed item and a summary; the exit status the command should return."""
    from .cli import EXIT_OK, EXIT_PARTIAL

    for f in failures:
        print(f"error: {f.error.one_line()}", file=err)
    if failures:
        print(f"{total - len(failures)} of {total} items processed, {len(failures)} failed", file=err)
        return EXIT_PARTIAL
    return EXIT_OK


def run_extract(args) -> int:
    failures, total = [], 0
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for item in extract_items(args.paths, args.published, args.max_bytes, args.workers):
            total += 1
            if isinstance(item, Failure):
                failures.append(item)
                continue
            indent = 2 if args.pretty and not args.output else None
            if getattr(args, "min_confidence", None):
                from .events.decide import keep_confident
                keep_confident(item, args.min_confidence)
            out.write(json.dumps(item.to_dict(), ensure_ascii=False, indent=indent) + "\n")
            out.flush()
    finally:
        if args.output:
            out.close()
    if total == 0:
        from .errors import InputError

        raise InputError("no articles found under " + ", ".join(args.paths), "E102")
    return report_failures(failures, total)


def run_schema(args) -> int:
    from .schema import output_schema

    print(json.dumps(output_schema(), indent=2))
    return 0


def run_demo(args) -> int:
    from .demo import run_demo as demo

    return demo(args)


def run_actors(args) -> int:
    failures, total = [], 0
    rows = []
    for item in extract_items(args.paths, args.published):
        total += 1
        if isinstance(item, Failure):
            failures.append(item)
            continue
        for a in item.actors:
            rows.append((item.id or "-", a.id, a.name, a.kind, a.country or "-", a.sector or "-",
                         str(len(a.mentions)), "; ".join(sorted({m.text for m in a.mentions}))[:70]))
    print_table(("article", "id", "actor", "kind", "country", "sector", "n", "mentions"), rows)
    return report_failures(failures, total)


def print_table(header, rows, out: TextIO = sys.stdout) -> None:
    """A plain aligned text table."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    line = "  ".join("{:<%d}" % w for w in widths)
    print(line.format(*header).rstrip(), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in rows:
        print(line.format(*[str(x) for x in r]).rstrip(), file=out)
