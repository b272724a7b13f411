"""eventwire's timex stage against dateparser's search_dates on TempEval-3 gold, scored alike.

    .venv/bin/python benchmarks/timex_vs_dateparser.py [GOLD.jsonl ...] [--only eventwire|dateparser]

Defaults to ../shared/eval/te3_tbaq.gold.jsonl and te3_platinum.gold.jsonl. Scoring follows
GOLD_FORMAT.md: a prediction matches a gold timex when the spans overlap (one-to-one, in text
order); span precision/recall/F1, then value accuracy over matched pairs (exact string, with
"T00:00" dropped) and value F1 (= F1 counting only matches with the right value).
dateparser gets RELATIVE_BASE = the publication date and languages=['en']; its values are
written as dates (YYYY-MM-DD, or YYYY-MM-DDTHH:MM when it found a time of day).
Columns: sec = wall time of the whole run (for eventwire including spaCy's tagging and parsing);
tagger = the time of the timex tagger alone (for dateparser, the same as sec).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "eval"
DEFAULT_SETS = [SHARED / "te3_tbaq.gold.jsonl", SHARED / "te3_platinum.gold.jsonl"]


def _norm(value: str) -> str:
    return (value or "").replace("T00:00", "")


def score(gold_docs, predictions) -> dict:
    """predictions: per document a list of (start, end, value)."""
    tp = fp = fn = right = 0
    for gold, pred in zip(gold_docs, predictions):
        gold_t = sorted(gold.get("timexes") or [], key=lambda t: t["start"])
        used = set()
        for ps, pe, pv in sorted(pred):
            hit = None
            for i, g in enumerate(gold_t):
                if i not in used and ps < g["end"] and g["start"] < pe:
                    hit = i
                    break
            if hit is None:
                fp += 1
                continue
            used.add(hit)
            tp += 1
            right += _norm(pv) == _norm(gold_t[hit]["value"])
        fn += len(gold_t) - len(used)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    vp = right / (tp + fp) if tp + fp else 0.0
    vr = right / (tp + fn) if tp + fn else 0.0
    vf = 2 * vp * vr / (vp + vr) if vp + vr else 0.0
    return {"gold": tp + fn, "predicted": tp + fp, "matched": tp, "precision": p, "recall": r,
            "f1": f, "value_accuracy": right / tp if tp else 0.0, "value_f1": vf}


def run_eventwire(docs):
    """Returns the predictions, the total time, and the time of the timex stage alone (the rest
    is spaCy's tagging and parsing, which the stage needs and which later stages share)."""
    from eventwire import Pipeline
    from eventwire.model import Document
    from eventwire.timex import TimexTagger

    pipe = Pipeline(stages=[])
    tagger = TimexTagger(pipe.nlp)
    t0 = time.perf_counter()
    parsed = list(pipe.nlp.pipe([d["text"] for d in docs], batch_size=16))
    t1 = time.perf_counter()
    out = []
    for d, doc in zip(docs, parsed):
        document = Document(text=d["text"], published=d.get("published"))
        tagger.annotate(doc, document)
        out.append([(t.start, t.end, t.value) for t in document.timexes])
    t2 = time.perf_counter()
    return out, t2 - t0, t2 - t1


def run_dateparser(docs):
    from dateparser.search import search_dates

    t0 = time.perf_counter()
    out = []
    for d in docs:
        base = dt.datetime.fromisoformat(d["published"][:10]) if d.get("published") else dt.datetime.now()
        found = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = search_dates(d["text"], languages=["en"], settings={"RELATIVE_BASE": base}) or []
        pos = 0
        for phrase, when in res:
            start = d["text"].find(phrase, pos)
            if start < 0:
                start = d["text"].find(phrase)
                if start < 0:
                    continue
            pos = start + len(phrase)
            value = when.strftime("%Y-%m-%d")
            if (when.hour, when.minute) != (0, 0):
                value += when.strftime("T%H:%M")
            found.append((start, start + len(phrase), value))
        out.append(found)
    secs = time.perf_counter() - t0
    return out, secs, secs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", type=Path)
    ap.add_argument("--only", choices=["eventwire", "dateparser"])
    ap.add_argument("--errors", action="store_true", help="print eventwire's wrong values and misses")
    args = ap.parse_args(argv)
    sets = args.gold or DEFAULT_SETS
    missing = [p for p in sets if not p.exists()]
    if missing:
        print(f"gold set not found: {missing[0]} (needs ../shared beside the checkout)", file=sys.stderr)
        return 2
    systems = [("eventwire", run_eventwire), ("dateparser", run_dateparser)]
    if args.only:
        systems = [s for s in systems if s[0] == args.only]
    print(f"{'set':28} {'system':11} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'valAcc':>7} {'valF1':>6} {'sec':>7} {'tagger':>7}")
    for path in sets:
        docs = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        docs = [d for d in docs if d.get("timexes") is not None]
        for name, run in systems:
            preds, secs, own = run(docs)
            s = score(docs, preds)
            print(f"{path.name:28} {name:11} {s['gold']:5d} {s['predicted']:5d} {s['precision']:6.3f} "
                  f"{s['recall']:6.3f} {s['f1']:6.3f} {s['value_accuracy']:7.3f} {s['value_f1']:6.3f} {secs:7.2f} {own:7.2f}")
            if args.errors and name == "eventwire":
                _errors(docs, preds)
    return 0


def _errors(docs, preds) -> None:
    for d, pred in zip(docs, preds):
        gold = d.get("timexes") or []
        for g in gold:
            hits = [p for p in pred if p[0] < g["end"] and g["start"] < p[1]]
            if not hits:
                print(f"  MISS  {d['published']} {g['text']!r} {g['value']}  | {d['text'][max(0, g['start'] - 50):g['end'] + 20]!r}")
            elif _norm(hits[0][2]) != _norm(g["value"]):
                print(f"  VALUE {d['published']} {g['text']!r} gold={g['value']} ours={hits[0][2]} ({d['text'][hits[0][0]:hits[0][1]]!r}) | {d['text'][max(0, g['start'] - 50):g['end'] + 20]!r}")
        for p in pred:
            if not any(p[0] < g["end"] and g["start"] < p[1] for g in gold):
                print(f"  FALSE {d['published']} {d['text'][p[0]:p[1]]!r} {p[2]}  | {d['text'][max(0, p[0] - 50):p[1] + 20]!r}")


if __name__ == "__main__":
    sys.exit(main())
