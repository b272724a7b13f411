"""Per-type confusion of the event coder on a gold file (default: PLV test), from saved predictions.

    .venv/bin/eventwire evaluate ../shared/eval/plv_test.gold.jsonl --dump /tmp/plv_test.pred.jsonl
    .venv/bin/python benchmarks/events_confusion.py ../shared/eval/plv_test.gold.jsonl /tmp/plv_test.pred.jsonl

Rows are gold types, columns the predicted type of the prediction in the same sentence (a right
type if one was predicted, else the first predicted event's type, "-" when none). A prediction of
any type in ``type_any`` counts as right. Also prints per-type recall.
"""
from __future__ import annotations

import collections
import json
import sys

from eventwire.model import PLOVER_TYPES


def main(gold_path: str, pred_path: str) -> None:
    gold = [json.loads(line) for line in open(gold_path, encoding="utf-8") if line.strip()]
    preds = {}
    for line in open(pred_path, encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            preds[d.get("id")] = d
    confusion = collections.Counter()
    for row in gold:
        events = (preds.get(row["id"]) or {}).get("events", [])
        for ev in row.get("events", []):
            ok = set(ev.get("type_any") or [ev["type"]])
            s = row["text"].find(ev.get("sentence", ""))
            in_sent = [e for e in events if s < 0 or e["sentence"]["start"] < s + len(ev["sentence"])
                       and s < e["sentence"]["end"]]
            right = [e for e in in_sent if e["type"] in ok]
            got = ev["type"] if right else (in_sent[0]["type"] if in_sent else "-")
            confusion[(ev["type"], got)] += 1
    cols = [t for t in PLOVER_TYPES if any(k[1] == t for k in confusion)] + ["-"]
    rows = [t for t in PLOVER_TYPES if any(k[0] == t for k in confusion)]
    abbrev = {t: t[:4] for t in cols}
    print("gold\\pred".ljust(10) + "".join(abbrev[c].rjust(6) for c in cols) + "     n  recall")
    for r in rows:
        n = sum(v for k, v in confusion.items() if k[0] == r)
        print(r[:10].ljust(10) + "".join(str(confusion[(r, c)] or ".").rjust(6) for c in cols)
              + f"{n:6d}  {confusion[(r, r)] / n:.3f}")
    total = sum(confusion.values())
    print(f"all: n={total} type recall={sum(v for k, v in confusion.items() if k[0] == k[1]) / total:.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
