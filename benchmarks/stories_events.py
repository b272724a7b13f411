"""How well stories gather the reporting of big events (summits) in a store.

    python benchmarks/stories_events.py --db STORE.db [--rebuild] [--list]

For each event below, the articles reporting it are those published in its window whose text
names its place and its parties; the figures are the share of them the best story gathers and
the number of stories of the event's parties that hold any of them. Prints; asserts nothing."""
from __future__ import annotations

import argparse
import re
import time

from eventwire.store.base import open_store

EVENTS = [
    # (name, first day, last day, words the report must contain, the parties' codes)
    ("Helsinki summit (Trump–Putin), July 2018", "2018-07-15", "2018-07-20", [r"Helsinki", r"Putin"], ("RUS", "USA")),
    ("Singapore summit (Trump–Kim), June 2018", "2018-06-11", "2018-06-15", [r"Singapore", r"Kim"], ("PRK", "USA")),
]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--list", action="store_true", help="print the best story's articles")
    args = ap.parse_args()
    with open_store(args.db) as store:
        if args.rebuild:
            t0 = time.perf_counter()
            n = store.rebuild_stories()
            print(f"rebuilt {n} stories in {time.perf_counter() - t0:.1f} s")
        arts = {a["id"]: a for a in store.articles(limit=100000)}
        stories = store.stories(limit=100000)
        members = {s["id"]: set() for s in stories}
        for r in store._rows("SELECT story_id, article_id FROM story_events"):
            members.setdefault(r["story_id"], set()).add(r["article_id"])
        for name, lo, hi, words, pair in EVENTS:
            reporting = {aid for aid, a in arts.items() if lo <= (a.get("published") or "")[:10] <= hi
                         and all(re.search(w, store.article(aid)["text"] or "") for w in words)}
            cands = [s for s in stories if members[s["id"]] & reporting]
            of_pair = [s for s in cands if sorted(filter(None, (s.get("source_country"), s.get("target_country"))))
                       == sorted(pair)]
            best = max(cands, key=lambda s: len(members[s["id"]] & reporting), default=None)
            share = len(members[best["id"]] & reporting) / len(reporting) if best and reporting else 0.0
            same_kind = [s for s in cands if best and s["type"] == best["type"] and
                         set(filter(None, (s.get("source_country"), s.get("target_country")))) & set(pair)]
            print(f"\n{name}: {len(reporting)} reporting articles; best story ({best and best['type']}) gathers "
                  f"{share:.2f}; {len(same_kind)} stories of that type with either party hold some of them; "
                  f"{len(of_pair)} stories of any type between {'–'.join(pair)} do")
            if best and args.list:
                print(f"  best story {best['id']}: {best['type']} {best.get('source_name')} → "
                      f"{best.get('target_name')}, {best['first_date']}..{best['last_date']}, "
                      f"{best['num_articles']} articles, {best['num_sources']} outlets")
                print(f"  evidence: {' '.join((best.get('evidence_text') or '').split())[:200]}")
                for aid in sorted(members[best["id"]], key=lambda a: arts[a].get("published") or ""):
                    a = arts[aid]
                    mark = "*" if aid in reporting else " "
                    print(f"   {mark} {a.get('published', '')[:10]}  {(a.get('outlet') or a.get('source') or '')[:24]:24}  {(a.get('title') or '')[:90]}")
                missing = reporting - members[best["id"]]
                if missing:
                    print(f"  reporting articles not in it ({len(missing)}):")
                    for aid in sorted(missing):
                        print(f"     {arts[aid].get('published', '')[:10]}  {(arts[aid].get('title') or '')[:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
