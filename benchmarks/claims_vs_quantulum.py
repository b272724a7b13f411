"""eventwire's claims stage and quantulum3 side by side on the same texts.

    .venv/bin/python benchmarks/claims_vs_quantulum.py ../shared/eval/realnews_train.gold.jsonl

Both are scored by ``eventwire.evaluate.claims.score_claims`` (a quantity matches on its value;
value+unit also needs the units to share a word). quantulum3 reads the text alone; a year it
reports as a bare number is dropped for it, as eventwire drops dates. Prints figures and the
seconds each spent on the texts, one run (eventwire: the claims stage alone, its spaCy parse not counted;
quantulum3: all of its work). Needs ``pip install quantulum3`` (in the ``bench`` extra).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from eventwire.evaluate.claims import ClaimScores, score_claims
from eventwire.evaluate.common import GoldLine
from eventwire.model import Claim, Document, Span
from eventwire.pipeline import Article, Pipeline

_YEAR = re.compile(r"^\d{4}$")


def quantulum_claims(parser, text: str) -> list[Claim]:
    out = []
    for n, q in enumerate(parser.parse(text), 1):
        surface = q.surface.strip()
        unit = q.unit.name if q.unit is not None and q.unit.name != "dimensionless" else None
        if _YEAR.match(surface) and unit is None:
            continue
        start, end = q.span
        out.append(Claim(f"Q{n}", Span(start, end, text[start:end]), float(q.value),
                         "percentage" if unit == "percentage" else unit))
    return out


def row(name: str, s: ClaimScores, seconds: float) -> str:
    v, u = s.values, s.value_unit
    return (f"{name:12} value P {v.p:.3f} R {v.r:.3f} F1 {v.f1:.3f}   value+unit F1 {u.f1:.3f}"
            f"   {seconds:7.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", type=Path)
    args = ap.parse_args()
    try:
        from quantulum3 import classifier, parser
    except ImportError:
        print("quantulum3 is not installed: pip install quantulum3", file=sys.stderr)
        return 1
    # Its unit classifier is a pickled scikit-learn model that newer scikit-learn cannot load;
    # without it quantulum3 picks units by its rules (its documented fallback).
    classifier.USE_CLF = False
    lines = [json.loads(x) for x in args.gold.read_text("utf-8").splitlines() if x.strip()]
    lines = [r for r in lines if isinstance(r.get("claims"), list)]
    pipe = Pipeline(stages=["eventwire_actors", "eventwire_quotes", "eventwire_claims"])
    ours, theirs = ClaimScores(), ClaimScores()
    q_seconds = 0.0
    docs = pipe.pipe([Article(text=r["text"], id=r.get("id"), published=r.get("published")) for r in lines])
    for rec, doc in zip(lines, docs):
        line = GoldLine.of(rec, rec["text"])
        ours.add(score_claims(rec, doc, line))
        # quantulum3 reads only the annotated part (it is slow): predictions beyond it are ignored anyway
        text = rec["text"][: rec.get("annotated_chars") or len(rec["text"])]
        t = time.perf_counter()
        predicted = quantulum_claims(parser, text)
        q_seconds += time.perf_counter() - t
        theirs.add(score_claims(rec, Document(text=rec["text"], claims=predicted), line))
    print(f"{args.gold.name}: {len(lines)} texts with claims")
    print(row("eventwire", ours, pipe.timings.get("eventwire_claims", 0.0)))
    print(row("quantulum3", theirs, q_seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
