"""The store's commands: ``ingest``, ``query`` and ``export``."""
from __future__ import annotations

import json
import sys

from ..model import EVENT_STATUSES, PLOVER_TYPES
from .export import FORMATS


def _positive(value: str) -> int:
    import argparse

    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return n


def _db(p) -> None:
    p.add_argument("--db", default=None, metavar="URL",
                   help="SQLite path or postgresql:// URL (default: $EVENTWIRE_DB or eventwire.db)")


def _filters(p) -> None:
    p.add_argument("--actor", help="actor name (or part of it) or country code, as source or target")
    p.add_argument("--type", type=str.upper, choices=PLOVER_TYPES, metavar="TYPE", help="PLOVER event type")
    p.add_argument("--status", type=str.lower, choices=EVENT_STATUSES, metavar="STATUS",
                   help="one of: " + ", ".join(EVENT_STATUSES))
    p.add_argument("--since", metavar="YYYY-MM-DD", help="events on or after this day")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="events on or before this day")
    p.add_argument("--text", metavar="WORDS", help="only events of articles containing these words")
    p.add_argument("--min-confidence", type=_confidence, default=None, metavar="P",
                   help="only events whose calibrated confidence is at least P (0-1)")


def _allowed_host(value: str):
    import argparse

    from ..ingest.addresses import AllowedHost

    try:
        return AllowedHost.parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_cli(sub) -> None:
    p = sub.add_parser("ingest", help="extract articles (files, dumps, URLs, RSS/Atom feeds) into the store")
    p.add_argument("items", nargs="+", metavar="PATH|URL|FEED",
                   help=".txt/.html/.jsonl (optionally .gz) files, directories, page URLs or feed URLs")
    _db(p)
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for articles that give none")
    p.add_argument("--workers", type=_positive, default=1, metavar="N", help="worker processes for extraction")
    p.add_argument("--dask", metavar="ADDR", help="address of a Dask scheduler to extract on")
    p.add_argument("--delay", type=float, default=1.0, metavar="S",
                   help="seconds between requests to one host (default: 1)")
    p.add_argument("--timeout", type=float, default=20.0, metavar="S", help="seconds per request (default: 20)")
    p.add_argument("--retries", type=int, default=2, metavar="N", help="retries of a failed request (default: 2)")
    p.add_argument("--allow-host", action="append", default=[], metavar="HOST[:PORT]", type=_allowed_host,
                   help="fetch from this host even though it is on a private or loopback network "
                        "(repeatable; a name as written in URLs, or an address; default: refused)")
    p.add_argument("--no-rebuild", action="store_true", help="do not rebuild stories and positions afterwards")
    p.add_argument("--min-confidence", type=_confidence, default=None, metavar="P",
                   help="store only events whose calibrated confidence is at least P (0-1)")
    p.set_defaults(run=run_ingest)

    p = sub.add_parser("query", help="print the store's events as a table")
    _filters(p)
    _db(p)
    p.add_argument("--limit", type=int, default=50, metavar="N", help="rows to print (default: 50)")
    p.add_argument("--offset", type=int, default=0, metavar="N")
    p.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    p.set_defaults(run=run_query)

    p = sub.add_parser("positions", help="print each party's stance on each negotiation issue (a matrix)")
    _db(p)
    p.add_argument("--issues", action="append", metavar="FILE.yaml",
                   help="extra issues or conflicts (data/positions format); recomputes the positions")
    p.add_argument("--rebuild", action="store_true", help="recompute the positions from the stored articles")
    p.add_argument("--conflict", help="only this conflict (e.g. russia-ukraine)")
    p.add_argument("--evidence", action="store_true", help="also print the evidence of each cell")
    p.add_argument("--history", action="store_true",
                   help="print each cell's stances over time, with dates and evidence")
    p.add_argument("--json", action="store_true", help="print the position rows as JSON lines (with history)")
    p.set_defaults(run=run_positions)

    p = sub.add_parser("export", help="export the store's events (csv, jsonl, parquet, gdelt, plover)")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, metavar="PATH", help="output file (a directory for parquet)")
    p.add_argument("--table", default="events",
                   help="table to export with csv/jsonl (default: events)")
    _filters(p)
    _db(p)
    p.set_defaults(run=run_export)


def _check_dates(args) -> None:
    from ..ingest.sources import check_date

    for name in ("since", "until", "published"):
        value = getattr(args, name, None)
        if value:
            setattr(args, name, check_date(value, f"--{name}")[:10])


def _filter_args(args) -> dict:
    out = {"actor": args.actor, "type": args.type, "status": args.status, "since": args.since,
           "until": args.until, "q": args.text}
    if getattr(args, "min_confidence", None) is not None:
        out["min_confidence"] = args.min_confidence
    return out


def _confidence(value: str) -> float:
    from ..events.decide import confidence_arg
    return confidence_arg(value)


def run_ingest(args) -> int:
    from ..commands import report_failures
    from ..ingest.fetch import Fetcher
    from .base import open_store
    from .ingest import ingest, print_report

    _check_dates(args)
    fetcher = Fetcher(delay=max(args.delay, 0.0), timeout=args.timeout, retries=max(args.retries, 0),
                      allow_hosts=args.allow_host)

    def on_failure(f):
        print(f"error: {f.error.one_line()}", file=sys.stderr)

    with open_store(args.db) as store:
        report = ingest(args.items, store, published=args.published, workers=args.workers, dask=args.dask,
                        fetcher=fetcher, source=None, rebuild=not args.no_rebuild, on_failure=on_failure,
                        min_confidence=getattr(args, "min_confidence", None))
        print_report(report, store)
    if report.failures:
        print(f"{report.seen - len(report.failures)} of {report.seen} items processed, "
              f"{len(report.failures)} failed", file=sys.stderr)
        return 3
    if report.seen == 0:
        return report_failures([], 0)
    return 0


def run_query(args) -> int:
    from ..commands import print_table
    from .base import open_store

    _check_dates(args)
    with open_store(args.db) as store:
        rows = store.events(**_filter_args(args), limit=max(args.limit, 1), offset=max(args.offset, 0))
        total = store.count_events(**_filter_args(args))
    if args.json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return 0
    table = [(r["day"] or "-", r["type"], r["status"], _name(r, "source"), _name(r, "target"),
              _clip(r["trigger_text"], 24), _clip(r["sentence_text"], 70), r["article_id"]) for r in rows]
    print_table(("day", "type", "status", "source", "target", "trigger", "evidence", "article"), table,
                out=sys.stdout)
    print(f"{len(rows)} of {total} events", file=sys.stderr)
    return 0


def _name(r: dict, side: str) -> str:
    name = r.get(f"{side}_name")
    if not name:
        return "-"
    country = r.get(f"{side}_country")
    return f"{name} ({country})" if country and country != name else name


def _clip(s: str, n: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def run_export(args) -> int:
    from .base import open_store
    from .export import export

    _check_dates(args)
    with open_store(args.db) as store:
        n = export(store, args.format, args.out, table=args.table, **_filter_args(args))
    print(f"wrote {n} rows to {args.out}", file=sys.stderr)
    return 0


def run_positions(args) -> int:
    from ..positions import format_history, format_matrix, load_conflicts
    from .base import open_store

    if args.issues:
        load_conflicts(args.issues)  # a bad file fails here, before the store is touched
    with open_store(args.db) as store:
        if args.issues or args.rebuild:
            store.rebuild_positions(args.issues)
        rows = store.positions(conflict=args.conflict)
    if args.json:
        for r in rows:
            if isinstance(r.get("history"), str):
                r["history"] = json.loads(r["history"] or "[]")
            print(json.dumps(r, ensure_ascii=False))
        return 0
    if not rows:
        print("no positions (no stance statements between parties in the stored articles)", file=sys.stderr)
        return 0
    print(format_matrix(rows))
    if args.history:
        print()
        print(format_history(rows))
    if args.evidence:
        print()
        for r in rows:
            print(f"{r['party']} {r['stance']} — {r['issue_label']} ({r['date'] or 'undated'}, "
                  f"article {r['article_id']}): {_clip(r['evidence_text'], 160)}")
    return 0
