"""``eventwire demo``: the bundled demo corpus into the embedded store, and a readable summary.

The corpus (``eventwire/demo/corpus.jsonl``, invented wire-style reports, see its README) goes
through the same ingest as ``eventwire ingest``, into ``./eventwire-demo.db`` unless ``--db`` says
otherwise; running the demo again finds every article already stored and only prints the summary.
"""
from __future__ import annotations

import os
import sys
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Optional, TextIO

DEFAULT_DB = "eventwire-demo.db"
CORPUS_ENV = "EVENTWIRE_DEMO_CORPUS"


def corpus_path(explicit: Optional[str] = None) -> Path:
    if explicit or os.environ.get(CORPUS_ENV):
        return Path(explicit or os.environ[CORPUS_ENV])
    return Path(str(resources.files("eventwire").joinpath("demo/corpus.jsonl")))


def run_demo(args) -> int:
    from .errors import InputError
    from .store.base import open_store
    from .store.ingest import ingest

    corpus = corpus_path(getattr(args, "corpus", None))
    if not corpus.exists():
        raise InputError.e("E101", item=str(corpus))
    db = getattr(args, "db", None) or DEFAULT_DB
    out = sys.stdout

    def on_failure(f):
        print(f"error: {f.error.one_line()}", file=sys.stderr)

    with open_store(db) as store:
        print(f"eventwire demo: {corpus.name} → {db}", file=out)
        report = ingest([str(corpus)], store, source="demo", on_failure=on_failure)
        if report.added:
            print(f"extracted and stored {report.added} articles ({report.events} events, "
                  f"{report.near_duplicates} near-duplicate)", file=out)
        else:
            print(f"all {report.skipped} articles already in the store; nothing to extract", file=out)
        summarise(store, out)
        print(f"\nExplore it: eventwire query --db {db} --actor Russia   |   eventwire serve --db {db}", file=out)
    return 3 if report.failures else 0


def _bar(n: int, most: int, width: int = 30) -> str:
    return "█" * max(1, round(width * n / most)) if most else ""


def _name(row: dict, side: str) -> str:
    return row.get(f"{side}_name") or "?"


def _marked(row: dict) -> str:
    """The event's sentence with its trigger in [brackets]."""
    s, t = row["sentence_text"], row["sentence_start"]
    a, b = row["trigger_start"] - t, row["trigger_end"] - t
    return " ".join((s[:a] + "[" + s[a:b] + "]" + s[b:]).split())


def summarise(store, out: Optional[TextIO] = None) -> None:
    from .positions import format_matrix

    out = out or sys.stdout
    counts = store.counts()
    print("\n" + ", ".join(f"{v} {k}" for k, v in counts.items() if k != "story_events"), file=out)
    events = list(store.iter_events())

    print("\nEvents by type", file=out)
    by_type = Counter(e["type"] for e in events)
    most = max(by_type.values(), default=0)
    for t, n in by_type.most_common():
        print(f"  {t:<10} {n:4d}  {_bar(n, most)}", file=out)

    print("\nTop actor pairs (source → target)", file=out)
    pairs = Counter((e["source_name"], e["target_name"]) for e in events if e["source_country"]
                    and e["target_country"] and e["source_name"] != e["target_name"])
    for (s, t), n in pairs.most_common(8):
        types = Counter(e["type"] for e in events if (e["source_name"], e["target_name"]) == (s, t))
        print(f"  {n:3d}  {s} → {t}  ({', '.join(f'{k} {v}' for k, v in types.most_common(3))})", file=out)

    print("\nQuotes", file=out)
    quotes = [q for q in store.quotes(limit=1000) if q["direct"] and q["speaker_name"]]
    for q in quotes[:5]:
        text = " ".join(q["content_text"].split())
        print(f"  {q['speaker_name']}: “{text[:110]}{'…' if len(text) > 110 else ''}”", file=out)

    print("\nEvents with their evidence", file=out)
    # Events between two identified actors (with a country) read best as examples.
    strong = sorted((e for e in events if e["source_country"] and e["target_country"]
                     and e["source_name"] != e["target_name"] and e["status"] == "asserted"),
                    key=lambda e: (-(e["confidence"] or 0), e["day"] or "", e["id"]))
    shown_types = set()
    for e in strong:
        if e["type"] in shown_types:
            continue
        shown_types.add(e["type"])
        print(f"  {e['day']}  {e['type']} ({e['status']})  {_name(e, 'source')} → {_name(e, 'target')}", file=out)
        print(f"      {_marked(e)}  [{e['article_id']} @{e['trigger_start']}-{e['trigger_end']}]", file=out)
        if len(shown_types) == 5:
            break

    stories = [s for s in store.stories(limit=5) if s["num_articles"] > 1]
    if stories:
        print("\nStories told by more than one article", file=out)
        for s in stories:
            print(f"  {s['type']} {s['source_name'] or '?'} → {s['target_name'] or '?'}: {s['num_mentions']} "
                  f"mentions in {s['num_articles']} articles, first reported {s['first_reported']}", file=out)

    dups = [a for a in store.articles(limit=1000) if a["near_duplicate_of"]]
    for a in dups:
        print(f"\nNear-duplicate: “{a['title']}” republishes article {a['near_duplicate_of']} "
              f"(similarity {a['similarity']:.2f})", file=out)

    rows = store.positions()
    print("\nNegotiation positions (latest stance of each party on each issue)", file=out)
    print("  " + format_matrix(rows).replace("\n", "\n  ") if rows else "  none", file=out)
