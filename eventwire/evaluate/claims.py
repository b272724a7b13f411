"""Numeric claims: values (within a tolerance), units, the high end of ranges and direction of change."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Optional

from ..model import Document
from .common import PRF, Accuracy, GoldLine, _greedy

CLAIM_TOLERANCE = 0.005      # values within 0.5% are equal

def same_value(a: float, b: float) -> bool:
    a, b = float(a), float(b)
    return abs(a - b) <= CLAIM_TOLERANCE * max(abs(a), abs(b))


def unit_words(unit: Optional[str]) -> set:
    words = set()
    for w in re.findall(r"[^\W\d_]+|[%$€£¥]", (unit or "").lower()):
        words.add(w[:-1] if len(w) > 1 and w.endswith("s") else w)
    return words


def units_agree(a: Optional[str], b: Optional[str]) -> bool:
    wa, wb = unit_words(a), unit_words(b)
    if not wa and not wb:
        return True
    return bool(wa & wb)


@dataclass
class ClaimScores:
    values: PRF = field(default_factory=PRF)
    value_unit: PRF = field(default_factory=PRF)
    change: Accuracy = field(default_factory=Accuracy)
    # over matched pairs where the gold or the prediction is a range: both are, with equal high ends
    value_max: Accuracy = field(default_factory=Accuracy)

    def add(self, o: "ClaimScores") -> None:
        self.values.add(o.values)
        self.value_unit.add(o.value_unit)
        self.change.add(o.change)
        self.value_max.add(o.value_max)


def score_claims(gold: dict, doc: Document, line: Optional[GoldLine] = None) -> ClaimScores:
    line = line or GoldLine.of(gold, doc.text)
    golds = [g for g in gold.get("claims") or [] if g.get("value") is not None]
    preds = [c for c in doc.claims if not line.ignored(c.span.start)]

    def score(g, p):
        if not same_value(g["value"], p.value):
            return None
        return (int(units_agree(g.get("unit"), p.unit)), int(p.change == g.get("change", "=")))

    def unit_score(g, p):
        return score(g, p) if units_agree(g.get("unit"), p.unit) else None

    def prf(pairs):
        return PRF(tp=len(pairs), fp=len(preds) - len(pairs), fn=len(golds) - len(pairs))

    pairs = _greedy(golds, preds, score)
    out = ClaimScores(prf(pairs), prf(_greedy(golds, preds, unit_score)))
    for gi, pi in pairs:
        if golds[gi].get("change"):
            out.change.count(preds[pi].change == golds[gi]["change"])
        out_max = _same_max(golds[gi].get("value_max"), preds[pi].value_max)
        if out_max is not None:
            out.value_max.count(out_max)
    return out


def _same_max(gold_max, pred_max) -> Optional[bool]:
    """None when neither is a range, else whether both are with the same high end."""
    if gold_max is None and pred_max is None:
        return None
    return gold_max is not None and pred_max is not None and same_value(gold_max, pred_max)


def print_claim_errors(rec: dict, doc: Document, err=sys.stderr) -> None:
    """Missed gold claims, false predictions, and matched pairs whose unit, range or change differ."""
    line = GoldLine.of(rec, doc.text)
    golds = [g for g in rec.get("claims") or [] if g.get("value") is not None]
    preds = [c for c in doc.claims if not line.ignored(c.span.start)]
    pairs = dict(_greedy(golds, preds, lambda g, p: (1,) if same_value(g["value"], p.value) else None))
    gid = rec.get("id")
    for gi, g in enumerate(golds):
        where = f"{g.get('text')!r}" if g.get("text") else f"value {g['value']}"
        if gi not in pairs:
            print(f"MISS   {gid}: claim {where} = {g['value']} {g.get('unit')!r}", file=err)
            continue
        p = preds[pairs[gi]]
        wrong = []
        if not units_agree(g.get("unit"), p.unit):
            wrong.append(f"unit {p.unit!r}, gold {g.get('unit')!r}")
        if _same_max(g.get("value_max"), p.value_max) is False:
            wrong.append(f"value_max {p.value_max}, gold {g.get('value_max')}")
        if g.get("change") and p.change != g["change"]:
            wrong.append(f"change {p.change}, gold {g['change']}")
        if wrong:
            print(f"DIFF   {gid}: claim {p.span.text!r}: " + "; ".join(wrong), file=err)
    matched = set(pairs.values())
    for pi, p in enumerate(preds):
        if pi not in matched:
            print(f"FALSE  {gid}: claim {p.span.text!r} = {p.value} {p.unit!r}", file=err)
