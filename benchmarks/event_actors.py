"""Who the event coder names as sources and targets on real articles: every actor name used, the
ones that look like no actor at all (a number or quantity, an unresolved common noun), and the
top actor pairs, for a person to read.

    .venv/bin/python benchmarks/event_actors.py [--n 300] [--min-confidence P]
        [--corpus ../shared/corpus/articles/allsides_international.jsonl.gz]

Prints figures and lists; asserts nothing.
"""
from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "corpus" / "articles" / "allsides_international.jsonl.gz"
QUANTITY = re.compile(r"\d|\b(?:dozens?|hundreds?|thousands?|millions?|several|some|many)\b", re.I)


def suspicious(name: str, resolved: bool) -> str | None:
    """Why a source/target name is no actor, or None."""
    if QUANTITY.search(name):
        return "number or quantity"
    if not resolved and not any(w[:1].isupper() for w in name.split()):
        return "unresolved common noun"
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--min-confidence", type=float, default=None)
    args = ap.parse_args(argv)
    from eventwire.commands import extract_items
    from eventwire.events.decide import keep_confident
    from eventwire.ingest.sources import Failure

    names, flagged, pairs, types = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    docs = events = 0
    items = extract_items([str(args.corpus)])
    for item in items:
        if isinstance(item, Failure):
            continue
        docs += 1
        keep_confident(item, args.min_confidence)
        for e in item.events:
            events += 1
            types[e.type] += 1
            sides = []
            for ref in (e.source, e.target):
                if ref is None:
                    sides.append("-")
                    continue
                label = f"{ref.name} ({ref.country or '?'})"
                names[label] += 1
                why = suspicious(ref.mention.text if ref.mention else ref.name, ref.actor is not None)
                if why:
                    flagged[(why, label)] += 1
                sides.append(ref.country or ref.name)
            pairs[(e.type, *sides)] += 1
        if docs >= args.n:
            break
    print(f"{docs} articles, {events} events, {len(names)} distinct source/target names")
    print(f"types: {dict(types.most_common())}")
    print(f"\nflagged names ({sum(flagged.values())} uses):")
    for (why, label), n in flagged.most_common(40):
        print(f"  {n:4d}  {why:24} {label}")
    print("\ntop 10 (type, source, target):")
    for (t, s, g), n in pairs.most_common(10):
        print(f"  {n:4d}  {t:10} {s} -> {g}")
    print("\nmost used names:")
    for label, n in names.most_common(25):
        print(f"  {n:4d}  {label}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
